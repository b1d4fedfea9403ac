package io.calltrack.pool.sizing;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pool sizing from the call-delay tail, not from concurrency. A number is safe to reissue only once its
 * last holder's late call would have come, so the size that reaches a target accuracy is the peak count
 * of visits that started and ended less than {@code max(hold, X*)} ago, X* being the quantile of the
 * visit-end-to-call delay that leaves the target error once calls during the visit are counted. The
 * expected accuracy at any size follows from how long numbers rest between holders.
 */
public final class PoolSizing {

    private PoolSizing() {
    }

    /** One visit that held a number: from lease start to last activity. */
    public record Visit(String number, Instant start, Instant end) {
    }

    /**
     * @param callsAfterVisitShare share of calls placed after the visit ended
     * @param delays               delay from visit end to call, for calls after the visit
     */
    public record Inputs(int currentSize, Duration hold, Instant from, Instant to, List<Visit> visits,
                         DelayDistribution delays, double callsAfterVisitShare, double target) {
    }

    /**
     * @param basis measured (the current size, from how long its numbers rested between holders) or model (other
     *              sizes, from least-recently-released reissue at the measured allocation rate)
     */
    public record SizeOption(@Schema(examples = "recommended") String label, @Schema(examples = "22") int size,
                             @Schema(examples = "0.99") double expectedAccuracy,
                             @Schema(description = "measured (the current size: its numbers' rest between holders) or model "
                                     + "(other sizes: least-recently-released reissue at the measured visit rate)",
                                     enumeration = {"measured", "model"}, examples = "model") String basis) {
    }

    /**
     * @param quantile          q* = 1 - (1 - target) / callsAfterVisitShare
     * @param xStar             the delay at quantile q*
     * @param window            max(hold, X*): how long after a visit its number must stay out of circulation
     * @param expectedAccuracy  at the current size, from the measured rest of each number (null without visits)
     */
    public record Report(int currentSize, int recommendedSize, Double expectedAccuracy, double quantile,
                         Duration xStar, Duration window, int visits, double visitsPerHour,
                         Duration meanVisitLength, double meanLeased, List<SizeOption> options) {
    }

    public static Report compute(Inputs in) {
        double after = in.callsAfterVisitShare();
        double during = 1 - after;
        double quantile = after <= 0 ? 0 : 1 - (1 - in.target()) / after;
        Duration xStar = quantile <= 0 ? Duration.ZERO : in.delays().quantile(quantile);
        Duration window = xStar.compareTo(in.hold()) > 0 ? xStar : in.hold();
        int recommended = Math.max(1, peak(in.visits(), window, in.from(), in.to()));

        double hours = Math.max(1e-9, Duration.between(in.from(), in.to()).toMillis() / 3_600_000.0);
        long started = in.visits().stream().filter(v -> !v.start().isBefore(in.from())).count();
        double perHour = started / hours;
        Duration meanLength = in.visits().isEmpty() ? Duration.ZERO : Duration.ofMillis(Math.round(
                in.visits().stream().mapToLong(v -> Duration.between(v.start(), v.end()).toMillis()).average().orElse(0)));
        double meanLeased = leasedTime(in.visits(), in.hold(), in.from(), in.to()) / (hours * 3_600_000.0);

        Double measured = measuredAccuracy(in, during, after);
        Map<String, Integer> sizes = new LinkedHashMap<>();
        sizes.put("current", in.currentSize());
        sizes.putIfAbsent("x2", in.currentSize() * 2);
        sizes.putIfAbsent("x4", in.currentSize() * 4);
        sizes.put("recommended", recommended);
        List<SizeOption> options = new ArrayList<>();
        // the current size's figure is the one reported on its own above: one computation for both
        sizes.forEach((label, size) -> options.add("current".equals(label) && measured != null
                ? new SizeOption(label, size, measured, "measured")
                : new SizeOption(label, size, modelAccuracy(size, in.hold(), meanLeased, perHour, during, after, in.delays()), "model")));
        return new Report(in.currentSize(), recommended, measured, quantile, xStar, window, (int) started, perHour,
                meanLength, meanLeased, options);
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

    /** Total leased time (visit plus hold) inside [from, to], in ms. */
    private static double leasedTime(List<Visit> visits, Duration hold, Instant from, Instant to) {
        double total = 0;
        for (Visit v : visits) {
            long start = Math.max(v.start().toEpochMilli(), from.toEpochMilli());
            long end = Math.min(v.end().plus(hold).toEpochMilli(), to.toEpochMilli());
            total += Math.max(0, end - start);
        }
        return total;
    }

    /**
     * Each visit's number rested from the visit's end until the next holder took it (or, if nobody has,
     * until the end of the window: a lower bound). A late call lands right if its delay is shorter.
     */
    private static Double measuredAccuracy(Inputs in, double during, double after) {
        Map<String, List<Visit>> byNumber = new HashMap<>();
        in.visits().forEach(v -> byNumber.computeIfAbsent(v.number(), k -> new ArrayList<>()).add(v));
        double sum = 0;
        int n = 0;
        for (List<Visit> holders : byNumber.values()) {
            holders.sort(Comparator.comparing(Visit::start));
            for (int i = 0; i < holders.size(); i++) {
                Visit v = holders.get(i);
                if (v.end().isBefore(in.from()) || v.end().isAfter(in.to())) {
                    continue;
                }
                Instant next = i + 1 < holders.size() ? holders.get(i + 1).start() : in.to();
                Duration rest = Duration.between(v.end(), next);
                sum += in.delays().cdf(rest.isNegative() ? Duration.ZERO : rest);
                n++;
            }
        }
        return n == 0 ? null : during + after * sum / n;
    }

    /**
     * Under least-recently-released allocation a released number waits behind every other free one:
     * (size - mean leased) / allocation rate, after the hold.
     */
    static double modelAccuracy(int size, Duration hold, double meanLeased, double perHour, double during, double after,
                                DelayDistribution delays) {
        if (perHour <= 0) {
            return during + after;
        }
        double idleHours = Math.max(0, size - meanLeased) / perHour;
        Duration rest = hold.plusMillis(Math.round(idleHours * 3_600_000));
        return during + after * delays.cdf(rest);
    }
}
