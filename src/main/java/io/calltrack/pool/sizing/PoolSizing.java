package io.calltrack.pool.sizing;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pool sizing from the call-delay tail, not from concurrency. A number is safe to reissue only once its
 * last holder's late call would have come. The accuracy to expect at a size is found by replaying the
 * window's visits through a least-recently-released pool of that size ({@link LruReplay}) and counting, for
 * each visit, the share of its calls that would ring before its number's next holder took it (and within the
 * late-call window); at the current size the rests are the ones the pool actually had. The recommended size
 * is the smallest whose replay reaches the target at the lower bound of the fit's sampling error: every figure
 * comes from that one computation.
 */
public final class PoolSizing {

    /**
     * One-sided 95%: each share of late calls still to come after a rest is taken this many standard errors
     * higher for the lower bound. The binomial error of a share estimated from the fit's late calls; the part of
     * the curve the defaults supply carries only its fitted mass's error.
     */
    static final double BOUND_Z = 1.645;

    private PoolSizing() {
    }

    /** One visit that held a number: from lease start to last activity, and when the number went back. */
    public record Visit(String number, Instant start, Instant end, Instant release) {
    }

    /**
     * @param callsAfterVisitShare share of calls placed after the visit ended
     * @param delays               delay from visit end to call, for calls after the visit
     */
    public record Inputs(int currentSize, Duration hold, Duration lateCallWindow, Instant from, Instant to,
                         List<Visit> visits, DelayDistribution delays, double callsAfterVisitShare, double target) {
    }

    /**
     * @param basis measured (the current size: the rests its numbers had) or model (other sizes: the window's
     *              visits replayed through a pool of that size)
     */
    public record SizeOption(@Schema(examples = "recommended") String label, @Schema(examples = "22") int size,
                             @Schema(examples = "0.99") double expectedAccuracy,
                             @Schema(description = "measured (the current size: the rest its numbers actually had between holders) "
                                     + "or model (other sizes: this window's visits replayed through a least-recently-released pool "
                                     + "of that size)", enumeration = {"measured", "model"}, examples = "model") String basis,
                             @Schema(description = "share of this figure's late calls whose delay lies past the pool's measured "
                                     + "curve, where the configured defaults' shape is assumed", examples = "0.02")
                             double assumedShare,
                             @Schema(description = "the accuracy at a one-sided 95% bound of the fit's sampling error (the "
                                     + "binomial error of each share of late calls still to come, from the calls the fit saw); "
                                     + "equal to expectedAccuracy while the configured defaults stand in for a fit. The "
                                     + "recommended size is the smallest whose bound reaches the target", examples = "0.988")
                             double lowerBound) {
    }

    /**
     * @param quantile          q* = 1 - (1 - target) / callsAfterVisitShare
     * @param xStar             the delay at quantile q*
     * @param window            max(hold, X*): how long after a visit its number must stay out of circulation
     * @param expectedAccuracy  at the current size, from the measured rest of each number (null without visits)
     */
    public record Report(int currentSize, int recommendedSize, Double expectedAccuracy, double quantile,
                         Duration xStar, Duration window, int visits, double visitsPerHour,
                         Duration meanVisitLength, double meanLeased, List<SizeOption> options, boolean targetReachable) {
    }

    public static Report compute(Inputs in) {
        double after = in.callsAfterVisitShare();
        double quantile = after <= 0 ? 0 : 1 - (1 - in.target()) / after;
        Duration xStar = quantile <= 0 ? Duration.ZERO : in.delays().quantile(quantile);
        Duration window = xStar.compareTo(in.hold()) > 0 ? xStar : in.hold();

        double hours = Math.max(1e-9, Duration.between(in.from(), in.to()).toMillis() / 3_600_000.0);
        List<Visit> inWindow = in.visits().stream().filter(v -> !v.start().isBefore(in.from()) && !v.start().isAfter(in.to()))
                .sorted(Comparator.comparing(Visit::start)).toList();
        double perHour = inWindow.size() / hours;
        Duration meanLength = inWindow.isEmpty() ? Duration.ZERO : Duration.ofMillis(Math.round(
                inWindow.stream().mapToLong(v -> Duration.between(v.start(), v.end()).toMillis()).average().orElse(0)));
        double meanLeased = leasedTime(in.visits(), in.from(), in.to()) / (hours * 3_600_000.0);

        Accuracy accuracy = new Accuracy(in, inWindow);
        double[] current = inWindow.isEmpty() ? null : accuracy.measuredWithTail();
        Double measured = current == null ? null : current[0];
        int recommended = inWindow.isEmpty() ? 1 : accuracy.smallestReaching(in.target());
        boolean reachable = inWindow.isEmpty() || accuracy.at(recommended)[2] >= in.target();
        Map<String, Integer> sizes = new LinkedHashMap<>();
        sizes.put("current", in.currentSize());
        sizes.put("half", Math.max(1, in.currentSize() / 2));
        sizes.putIfAbsent("x2", in.currentSize() * 2);
        sizes.putIfAbsent("x4", in.currentSize() * 4);
        sizes.put("recommended", recommended);
        List<SizeOption> options = new ArrayList<>();
        // the current size's figure is the one reported on its own above: one computation for both
        sizes.forEach((label, size) -> {
            boolean actual = "current".equals(label) && current != null;
            double[] a = actual ? current : accuracy.at(size);
            options.add(new SizeOption(label, size, a[0], actual ? "measured" : "model", a[1], a[2]));
        });
        return new Report(in.currentSize(), recommended, measured, quantile, xStar, window, inWindow.size(), perHour,
                meanLength, meanLeased, options, reachable);
    }

    /** Expected accuracy from rests: calls during the visit are right, a late one if it rings before the rest ends. */
    private static final class Accuracy {
        private final Inputs in;
        private final List<Visit> visits;
        private final long windowMs;
        private final double measuredUpTo;
        /** Late calls the fit saw (0 for the configured defaults: no sampling error to bound). */
        private final double lateCalls;
        /** Replays by size: the search for the recommended size, its check and the options table ask for some twice. */
        private final Map<Integer, double[]> replayed = new HashMap<>();

        Accuracy(Inputs in, List<Visit> visits) {
            this.in = in;
            this.visits = visits;
            this.windowMs = Duration.between(in.from(), in.to()).toMillis();
            this.measuredUpTo = in.delays() instanceof FittedDelays f ? f.measuredUpTo().toMillis() : 0;
            this.lateCalls = in.delays() instanceof FittedDelays f ? f.sampleSize() * f.afterShare() : 0;
        }

        /** {accuracy, assumed share, lower bound} for rests; a rest past the late-call window ends there. */
        double[] of(long[] rests) {
            double during = 1 - in.callsAfterVisitShare();
            long late = in.lateCallWindow().toMillis();
            double sum = 0, assumed = 0, bound = 0;
            for (long r : rests) {
                long capped = Math.max(0, Math.min(r, late));
                double right = in.delays().cdfAt(capped);
                sum += right;
                bound += lateCalls <= 0 ? right : Math.max(0, right - BOUND_Z * Math.sqrt(right * (1 - right) / lateCalls));
                if (capped > measuredUpTo) {
                    assumed += right - in.delays().cdfAt(measuredUpTo);
                }
            }
            int n = Math.max(1, rests.length);
            double after = in.callsAfterVisitShare();
            return new double[]{during + after * sum / n, sum <= 0 ? 0 : assumed / sum, during + after * bound / n};
        }

        double[] at(int size) {
            return replayed.computeIfAbsent(Math.max(1, size), n -> of(LruReplay.rests(visits, n, windowMs)));
        }

        /**
         * The rests the pool's numbers actually had; a visit whose number nobody has taken since rests at least
         * until now, and as long as the replay at the current size says once traffic goes on.
         */
        double[] measuredWithTail() {
            long[] replayed = LruReplay.rests(visits, Math.max(1, in.currentSize()), windowMs);
            Map<Visit, Long> nextStart = new IdentityHashMap<>();
            for (List<Visit> holders : byNumber(in.visits()).values()) {
                for (int i = 0; i + 1 < holders.size(); i++) {
                    nextStart.put(holders.get(i), holders.get(i + 1).start().toEpochMilli());
                }
            }
            long[] rests = new long[visits.size()];
            for (int i = 0; i < visits.size(); i++) {
                Visit v = visits.get(i);
                long end = v.end().toEpochMilli();
                Long next = nextStart.get(v);
                rests[i] = next != null ? next - end : Math.max(in.to().toEpochMilli() - end, replayed[i]);
            }
            return of(rests);
        }

        /** The smallest size whose lower bound reaches the target. */
        int smallestReaching(double target) {
            int lo = 1, hi = Math.max(1, visits.size());
            if (at(hi)[2] < target) {
                return hi;
            }
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (at(mid)[2] >= target) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            return lo;
        }
    }

    /** Each number's holders in the order they took it. */
    static Map<String, List<Visit>> byNumber(List<Visit> visits) {
        Map<String, List<Visit>> byNumber = new HashMap<>();
        visits.forEach(v -> byNumber.computeIfAbsent(v.number(), k -> new ArrayList<>()).add(v));
        byNumber.values().forEach(l -> l.sort(Comparator.comparing(Visit::start)));
        return byNumber;
    }

    /** Peak over [from, to] of the visits with start <= t < end + window (a sweep over start/expiry events). */
    public static int peak(List<Visit> visits, Duration window, Instant from, Instant to) {
        List<long[]> events = new ArrayList<>();
        for (Visit v : visits) {
            long open = Math.max(v.start().toEpochMilli(), from.toEpochMilli());
            long close = Math.min(v.end().plus(window).toEpochMilli(), to.toEpochMilli() + 1);
            if (open < close) {
                events.add(new long[]{open, 1});
                events.add(new long[]{close, -1});
            }
        }
        // at equal instants a close comes before an open: [start, end + window) is half-open
        events.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
        int count = 0, max = 0;
        for (long[] e : events) {
            count += (int) e[1];
            max = Math.max(max, count);
        }
        return max;
    }

    /** Total leased time (start to release) inside [from, to], in ms. */
    private static double leasedTime(List<Visit> visits, Instant from, Instant to) {
        double total = 0;
        for (Visit v : visits) {
            long start = Math.max(v.start().toEpochMilli(), from.toEpochMilli());
            long end = Math.min(v.release().toEpochMilli(), to.toEpochMilli());
            total += Math.max(0, end - start);
        }
        return total;
    }
}
