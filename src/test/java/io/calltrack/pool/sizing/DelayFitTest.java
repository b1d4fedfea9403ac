package io.calltrack.pool.sizing;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pool's self-assessment against synthetic sites whose answer is known: the delay fit sees only what the
 * service stores (leases and the calls on each number), the truth is which visit placed each call.
 */
class DelayFitTest {

    static final Duration HOLD = Duration.ofMinutes(30);
    static final Duration LATE = Duration.ofHours(72);
    static final Duration PING = Duration.ofSeconds(30);

    static final SyntheticSite.Params SITE = new SyntheticSite.Params(120, 0.6, 6 * 24, Duration.ofMinutes(3), 1.0, PING,
            0, 0.3, 0.4, SyntheticSite.industryDelays());

    /** The shipped defaults, deliberately not the synthetic site's delays: the fit has to find those. */
    static DelayDistribution defaults() {
        if (Boolean.getBoolean("truthdefaults")) {
            return DelayDistribution.configured(SyntheticSite.industryDelays());
        }
        TreeMap<Double, Duration> q = new TreeMap<>();
        q.put(0.5, Duration.ofMinutes(30));
        q.put(0.9, Duration.ofHours(6));
        q.put(0.99, Duration.ofHours(24));
        return DelayDistribution.configured(q);
    }

    /** @param odds the fit that weighs a call's holders ({@link DelayFit#fitOdds}) */
    record Outcome(double truth, PoolSizing.Report report, FittedDelays fit, FittedDelays odds) {
    }

    static Outcome run(SyntheticSite.Stream s, int size) {
        SyntheticSite.Served served = SyntheticSite.serve(s, size, HOLD, true, 7);
        // the product sees the last three days
        double truth = truthOf(s, served, size);
        Instant to = Instant.ofEpochMilli(s.duration());
        Instant from = to.minus(Duration.ofDays(3));
        FittedDelays fit = DelayFit.fit(SyntheticSite.leases(s, served), SyntheticSite.callsOn(s, served), from, to,
                PING.toMillis(), defaults(), 0.6);
        FittedDelays odds = DelayFit.fitOdds(SyntheticSite.leases(s, served), SyntheticSite.callsOn(s, served), from, to,
                PING.toMillis(), defaults(), 0.6);
        PoolSizing.Report report = PoolSizing.compute(new PoolSizing.Inputs(size, HOLD, LATE, from, to,
                SyntheticSite.leases(s, served), fit, fit.afterShare(), 0.99));
        System.out.printf(Locale.ROOT, "size %5d: truth %.4f estimate %.4f recommended %d (measured to %s, assumed %.3f, after %.3f, p50 %s p90 %s)%n",
                size, truth, report.expectedAccuracy(), report.recommendedSize(), fit.measuredUpTo(), fit.assumedShare(),
                fit.afterShare(), fit.quantile(0.5), fit.quantile(0.9));
        return new Outcome(truth, report, fit, odds);
    }

    /** The share of calls a least-recently-released pool of this size puts on the right visit (visits whose calls all came). */
    static double truthAt(SyntheticSite.Stream s, int size) {
        return truthOf(s, SyntheticSite.serve(s, size, HOLD, true, 7), size);
    }

    /** The share of calls the served pool put on the right visit, over the visits whose calls have all come. */
    private static double truthOf(SyntheticSite.Stream s, SyntheticSite.Served served, int size) {
        return SyntheticSite.accuracy(s, served, size, LATE, s.duration() - LATE.toMillis());
    }

    /** The truth's CDF: log-linear between the synthetic site's quantile points. */
    static double truthCdf(Duration d) {
        double[] q = SyntheticSite.industryDelays().keySet().stream().mapToDouble(Double::doubleValue).toArray();
        double[] ms = SyntheticSite.industryDelays().values().stream().mapToDouble(Duration::toMillis).toArray();
        double x = d.toMillis();
        int i = 1;
        while (i < q.length - 1 && ms[i] < x) {
            i++;
        }
        return Math.max(0, Math.min(1, q[i - 1] + (q[i] - q[i - 1]) * Math.log(x / ms[i - 1]) / Math.log(ms[i] / ms[i - 1])));
    }

    @Test
    void withANumberPerVisitTheFitFindsTheSitesDelays() {
        Outcome o = run(SyntheticSite.generate(SITE, 1), 20_000);
        for (String d : List.of("PT30M", "PT1H", "PT6H", "PT12H", "PT24H")) {
            assertEquals(truthCdf(Duration.parse(d)), o.fit().cdf(Duration.parse(d)), 0.03, d);
        }
        assertEquals(0.6, o.fit().afterShare(), 0.02);
        assertEquals(o.truth(), o.report().expectedAccuracy(), 0.005);
    }

    /**
     * The case: 144 numbers for 120 visits an hour. Attributed delays said 98.9% (truth 85.5%); the fit
     * sees that late calls ring on later holders, says how far its curve is measured, and lands within 1.5 points.
     */
    @Test
    void anUndersizedPoolIsNotFooledByItsOwnErrors() {
        Outcome o = run(SyntheticSite.generate(SITE, 1), 144);
        assertTrue(o.truth() < 0.9, "undersized: " + o.truth());
        assertEquals(o.truth(), o.report().expectedAccuracy(), 0.015);
        assertTrue(o.fit().measuredUpTo().compareTo(Duration.ofHours(6)) < 0, "numbers rest about an hour: " + o.fit().measuredUpTo());
        assertTrue(o.fit().assumedShare() > 0.05, "the tail past that is the defaults' shape: " + o.fit().assumedShare());
    }

    @Test
    void aPoolNearTheRightSizeEstimatesWithinAPointAndAHalf() {
        SyntheticSite.Stream s = SyntheticSite.generate(SITE, 1);
        for (int size : List.of(500, 1920, 4000)) {
            Outcome o = run(s, size);
            assertEquals(o.truth(), o.report().expectedAccuracy(), 0.015, "size " + size);
        }
    }

    @Test
    void theRecommendedSizeFromAnUndersizedPoolsDataComesNearTheTarget() {
        SyntheticSite.Stream s = SyntheticSite.generate(SITE, 1);
        int recommended = run(s, 144).report().recommendedSize();
        double truth = truthAt(s, recommended);
        assertTrue(truth >= 0.985, recommended + " numbers: " + truth);
    }

    /**
     * The recommendation a pool near the right size makes from its week, on six streams of the same site: the
     * accuracy those sizes reach averages the target. Taken where the point estimate reaches the target, the
     * sizes averaged 98.82% here (past the measured 18 h the curve takes the defaults' shape, whose calls
     * come sooner than this site's): the recommendation has to allow for the fit's own sampling error: it is the
     * smallest size whose one-sided 95% bound reaches the target (the mean here then 99.02%; on streams 20 to 31, 98.90% against 98.60%, the rest
     * being the defaults' shape past what the pool measures: with the site's own delays as defaults, 99.11%).
     */
    @Test
    void theRecommendedSizeReachesTheTargetOnAverageOverStreams() {
        double sum = 0;
        StringBuilder seen = new StringBuilder();
        for (long seed = 2; seed < 8; seed++) {
            SyntheticSite.Stream s = SyntheticSite.generate(SITE, seed);
            PoolSizing.Report report = run(s, 1958).report();
            int recommended = report.recommendedSize();
            PoolSizing.SizeOption option = report.options().get(report.options().size() - 1);
            assertTrue(option.lowerBound() >= 0.99 && option.expectedAccuracy() > option.lowerBound(),
                    "the bound reaches the target and lies below the estimate: " + option);
            double truth = truthAt(s, recommended);
            sum += truth;
            seen.append(String.format(Locale.ROOT, " %d: %.4f;", recommended, truth));
        }
        assertTrue(sum / 6 >= 0.99, "mean " + sum / 6 + " at" + seen);
    }

    /** Per 10-point probability band: {calls, right, sum of p, sum of p(1 - p)}. */
    static double[][] calibration(SyntheticSite.Stream s, int size, CallOdds odds) {
        return calibration(s, SyntheticSite.serve(s, size, HOLD, true, 7), size, at -> odds, (i, at) -> holder(s, i));
    }

    /** A visit as a call's holder, as known at the call's ring time. */
    interface HolderView {
        CallOdds.Holder of(int visit, long at);
    }

    /**
     * Per 10-point probability band: {calls, right, sum of p, sum of p(1 - p)}, each call scored with the odds
     * {@code oddsAt} gives for its ring time (null: the call is not scored), its number's holders as {@code view}
     * shows them.
     */
    static double[][] calibration(SyntheticSite.Stream s, SyntheticSite.Served served, int size,
                                  java.util.function.LongFunction<CallOdds> oddsAt, HolderView view) {
        List<List<Integer>> holders = SyntheticSite.holders(s, served, size);
        double[][] bands = new double[10][4]; // calls, right, sum of p, sum of p(1 - p) (the binomial variance)
        int[] dialled = SyntheticSite.dialled(s);
        for (int k = 0; k < dialled.length; k++) {
            SyntheticSite.SimCall c = s.calls().get(k);
            List<Integer> on = holders.get(served.number()[dialled[k]]);
            Integer chosen = SyntheticSite.holderAt(s, served, on, c.at(), LATE);
            CallOdds odds = chosen == null ? null : oddsAt.apply(c.at());
            if (odds == null) {
                continue;
            }
            List<CallOdds.Holder> candidates = new java.util.ArrayList<>();
            for (int i : on) {
                if (s.visits().get(i).start() <= c.at()) {
                    candidates.add(view.of(i, c.at()));
                }
            }
            double p = odds.probability(candidates, view.of(chosen, c.at()), Instant.ofEpochMilli(c.at()));
            int band = Math.min(9, (int) (p * 10));
            bands[band][0]++;
            bands[band][1] += chosen == dialled[k] ? 1 : 0;
            bands[band][2] += p;
            bands[band][3] += p * (1 - p);
        }
        return bands;
    }

    static CallOdds.Holder holder(SyntheticSite.Stream s, int i) {
        return new CallOdds.Holder(Instant.ofEpochMilli(s.visits().get(i).start()), Instant.ofEpochMilli(s.visits().get(i).end()));
    }

    /**
     * Calls given a probability near p are right about that often: within 3 points in every 10-point band of 100
     * calls or more, over two streams served by an undersized, a mid-sized and a near-target pool (the bench's
     * target, on the model). At the size near the target, a probability of 0.9 or more is right 99% of the time.
     */
    @Test
    void probabilitiesAreCalibrated() {
        double[][] pooled = new double[10][3];
        for (long seed : List.of(2L, 3L)) {
            SyntheticSite.Stream s = SyntheticSite.generate(SITE, seed);
            for (int size : List.of(144, 979, 1920)) {
                Outcome o = run(s, size);
                double[][] b = calibration(s, size, new CallOdds(o.odds(), o.odds().afterShare(), PING.toMillis()));
                for (int i = 0; i < 10; i++) {
                    for (int j = 0; j < 3; j++) {
                        pooled[i][j] += b[i][j];
                    }
                }
                if (size == 1920) {
                    assertTrue(b[9][1] / b[9][0] >= 0.99, "p >= 0.9 at size 1920: " + b[9][1] / b[9][0]);
                }
            }
        }
        for (int i = 0; i < 10; i++) {
            if (pooled[i][0] >= 100) {
                assertEquals(pooled[i][2] / pooled[i][0], pooled[i][1] / pooled[i][0], 0.03, "band " + i + " of " + pooled[i][0] + " calls");
            }
        }
    }
}
