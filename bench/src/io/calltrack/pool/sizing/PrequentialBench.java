package io.calltrack.pool.sizing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The call probability's calibration as the running service gives it, on the model alone: the accuracy bench's
 * stream (seed 42, 120 visits an hour for 120 hours, 20% returning visitors) served by least-recently-released pools
 * of the bench's sizes, each pool refitted every hour of simulated time on what the service would have stored by
 * then (leases started and calls rung, over the last week), each call scored as the service leaves it: with the fit in
 * force at the last of its revisions the stream reached (at its ring time before the first; before the first fit, the
 * shipped defaults). Where {@link CalibrationBench} scores every call with one fit made
 * at the end, this replays the fits a pool goes through from its first hour, as {@code bench/accuracy} does against
 * the service in twenty minutes; a run takes seconds to a minute.
 * <p>
 * args: [refit hours [sizes...]]. {@code -Dping=S}: the pages' ping interval in simulated seconds (30 by default, the
 * script's, as {@code bench/accuracy}'s pages ping; {@code -Dping=1000} replays its runs before the interval could be
 * set below a real second, which saw a visit's end only that coarsely). {@code -Dseeds=N}: streams 42 to
 * 41+N. {@code -Dfrom=H -Duntil=H}: score only the calls that rang between those hours (the fits still run from the
 * first hour). {@code -Drevise=H,...}: the revisions, below.
 */
public final class PrequentialBench {

    private static final Duration PING = Duration.ofSeconds(Long.getLong("ping", 30));
    /** Only the calls that rang in this part of the stream are scored (-Dfrom, -Duntil: hours). */
    private static final long SCORED_FROM = Long.getLong("from", 0) * 3_600_000, SCORED_UNTIL = Long.getLong("until", 1_000_000) * 3_600_000;
    /** Share of visits from returning visitors (-Dreturning; the bench's 0.2). */
    private static final double RETURNING = Double.parseDouble(System.getProperty("returning", "0.2"));
    private static final long WEEK = Duration.ofDays(7).toMillis();
    /**
     * Each call scored again with the fit in force this long after its ring, as the service revises it (the last of these
     * the stream reached counts): the service's shipped {@code calltrack.attribution.revise-after}, or -Drevise=H,H... in
     * hours (-Drevise=0: scored at ring time only).
     */
    private static final List<Long> REVISE = System.getProperty("revise") == null
            ? io.calltrack.bench.BenchSupport.shippedDurations("calltrack.attribution.revise-after").stream().map(Duration::toMillis).toList()
            : java.util.Arrays.stream(System.getProperty("revise").split(",")).map(h -> Math.round(Double.parseDouble(h) * 3_600_000)).toList();

    private PrequentialBench() {
    }

    public static void main(String[] args) {
        double refitHours = args.length > 0 ? Double.parseDouble(args[0]) : 1;
        List<Integer> sizes = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            sizes.add(Integer.parseInt(args[i]));
        }
        if (sizes.isEmpty()) {
            sizes = List.of(144, 1054, 2109, 2602, 14496);
        }
        SyntheticSite.Params params = new SyntheticSite.Params(120, 0.6, 120, Duration.ofMinutes(3), 1.0, PING, RETURNING, 0.3, 0.4,
                SyntheticSite.industryDelays());
        long every = Math.round(refitHours * 3_600_000);
        int seeds = Integer.getInteger("seeds", 1);
        System.out.printf(Locale.ROOT, "Prequential calibration on the model: the accuracy bench's stream (seed 42, then 43...: %d), refit every %.1f h, "
                + "each call scored again %s h after its ring%n", seeds, refitHours, REVISE.stream().map(r -> String.valueOf(r / 3_600_000.0)).toList());
        double[][] pooled = new double[10][4];
        for (long seed = 42; seed < 42 + seeds; seed++) {
            SyntheticSite.Stream s = SyntheticSite.generate(params, seed);
            for (int size : sizes) {
                double[][] b = replay(s, size, every);
                for (int i = 0; i < 10; i++) {
                    for (int j = 0; j < 4; j++) {
                        pooled[i][j] += b[i][j];
                    }
                }
                print("  seed " + seed + ", " + size + " numbers:", b, 30);
            }
        }
        print("  every pool:", pooled, 1);
    }

    /**
     * Per 10-point probability band: {calls, right, sum of p, sum of p(1 - p)}, every call scored with the fit in force
     * at its last revision the stream reached ({@link #REVISE}), or when it rang.
     */
    static double[][] replay(SyntheticSite.Stream s, int size, long every) {
        SyntheticSite.Served served = SyntheticSite.serve(s, size, DelayFitTest.HOLD, true, 7);
        CallOdds defaults = new CallOdds(DelayFitTest.defaults(), 0.6, PING.toMillis());
        java.util.Map<Long, CallOdds> fits = new java.util.HashMap<>(); // the fit depends only on its time
        return DelayFitTest.calibration(s, served, size, at -> {
            if (at < SCORED_FROM || at >= SCORED_UNTIL) {
                return null;
            }
            long t = at;
            for (long r : REVISE) {
                t = at + r <= s.duration() ? Math.max(t, at + r) : t;
            }
            t = t / every * every;
            return t == 0 ? defaults : fits.computeIfAbsent(t, k -> fitAt(s, served, k));
        }, (i, at) -> holderAt(s, i, at));
    }

    /** The fit the service makes at {@code t}: the leases started and the calls rung by then, over the last week. */
    private static CallOdds fitAt(SyntheticSite.Stream s, SyntheticSite.Served served, long t) {
        List<PoolSizing.Visit> leases = new ArrayList<>();
        for (PoolSizing.Visit v : SyntheticSite.leases(s, served)) {
            if (v.start().toEpochMilli() <= t) {
                Instant now = Instant.ofEpochMilli(t);
                leases.add(new PoolSizing.Visit(v.number(), v.start(), min(v.end(), now), min(v.release(), now)));
            }
        }
        List<DelayFit.CallOn> calls = SyntheticSite.callsOn(s, served).stream().filter(c -> c.at().toEpochMilli() <= t).toList();
        Instant to = Instant.ofEpochMilli(t), from = Instant.ofEpochMilli(Math.max(0, t - WEEK));
        FittedDelays fit = DelayFit.fitOdds(leases, calls, from, to, PING.toMillis(), DelayFitTest.defaults(), 0.6);
        return new CallOdds(fit, fit.afterShare(), PING.toMillis());
    }

    /** A holder as the service has it at ring time: a visit still on the page was last seen then. */
    private static CallOdds.Holder holderAt(SyntheticSite.Stream s, int i, long at) {
        SyntheticSite.SimVisit v = s.visits().get(i);
        return new CallOdds.Holder(Instant.ofEpochMilli(v.start()), Instant.ofEpochMilli(Math.min(v.end(), at)));
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static void print(String title, double[][] b, int least) {
        StringBuilder line = new StringBuilder(title);
        for (int i = 0; i < 10; i++) {
            if (b[i][0] >= least) {
                // ±: 95% of an exactly calibrated band's gaps would lie within it (binomial sampling alone)
                line.append(String.format(Locale.ROOT, " %.1f: %d, said %.3f, right %.3f (%+.1f ±%.1f);", i / 10.0, (int) b[i][0],
                        b[i][2] / b[i][0], b[i][1] / b[i][0], 100 * (b[i][1] - b[i][2]) / b[i][0], 196 * Math.sqrt(b[i][3]) / b[i][0]));
            }
        }
        System.out.println(line);
    }
}
