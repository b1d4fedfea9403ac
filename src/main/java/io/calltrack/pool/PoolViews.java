package io.calltrack.pool;

import io.calltrack.config.PoolSpec;
import io.calltrack.pool.sizing.PoolSizing;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** What the pool admin API returns. */
final class PoolViews {

    private PoolViews() {
    }

    @Schema(name = "Pool", description = "A pool with its live state and how well its size serves attribution")
    record PoolView(@Schema(examples = "demo-visits") String id, @Schema(examples = "demo") String siteKey,
                    @Schema(examples = "dynamic") String kind, @Schema(examples = "30") int size,
                    @Schema(examples = "24") Long free, @Schema(examples = "6") Long leasedNumbers,
                    @Schema(examples = "6") Long sessions, @Schema(examples = "0") Long blocked,
                    @Schema(examples = "0") Long exhaustions, @Schema(examples = "9") Integer peakLeasedLastHour,
                    @Schema(examples = "14") Integer peakLeasedLastDay,
                    @Schema(description = "Peak numbers leased in each of the last 24 hours, oldest first (utilisation)",
                            examples = "[3, 2, 2, 1, 1, 1, 2, 4, 7, 9, 12, 14, 13, 11, 12, 13, 12, 10, 9, 8, 6, 5, 4, 3]")
                    List<Integer> peakLeasedByHour, @Schema(examples = "22") Integer recommendedSize,
                    @Schema(examples = "0.995") Double expectedAccuracy, @Schema(examples = "measured") String sizingBasis,
                    @Schema(description = "hold after the last ping, ISO-8601") Duration hold,
                    Duration lateCallWindow, @Schema(examples = "share") String exhaustion) {

        static PoolView of(PoolSpec pool, PoolReports.LiveStats live, PoolReports.Peaks peaks, PoolReports.Sizing sizing) {
            boolean dynamic = pool.isDynamic();
            return new PoolView(pool.id(), pool.siteKey(), pool.kind().name().toLowerCase(), pool.numbers().size(),
                    dynamic ? live.free() : null, dynamic ? live.leasedNumbers() : null, dynamic ? live.sessions() : null,
                    dynamic ? live.blocked() : null, dynamic ? live.exhaustions() : null,
                    peaks == null ? null : peaks.lastHour(), peaks == null ? null : peaks.lastDay(), peaks == null ? null : peaks.byHour(),
                    sizing == null ? null : sizing.report().recommendedSize(),
                    sizing == null ? null : sizing.report().expectedAccuracy(), sizing == null ? null : sizing.delayBasis(),
                    dynamic ? pool.hold() : null, dynamic ? pool.lateCallWindow() : null,
                    dynamic ? pool.exhaustion().name().toLowerCase() : null);
        }
    }

    @Schema(name = "PoolSizing", description = "Recommended size and expected attribution accuracy, with every input")
    record SizingView(@Schema(examples = "demo-visits") String poolId, @Schema(examples = "30") int currentSize,
                      @Schema(examples = "22") int recommendedSize,
                      @Schema(description = "share of calls expected to reach the right visit at the current size, "
                              + "from how long numbers actually rested between holders; null without visits", examples = "0.995")
                      Double expectedAccuracy,
                      @Schema(description = "false when even a number per visit misses the target (the late-call window "
                              + "ends before enough calls come): the recommended size is then that many numbers", examples = "true")
                      boolean targetReachable,
                      List<PoolSizing.SizeOption> options, Inputs inputs) {
    }

    @Schema(name = "PoolSizingInputs")
    record Inputs(Instant from, Instant to, @Schema(examples = "1800") int visits,
                  @Schema(examples = "10.7") double visitsPerHour, Duration meanVisitLength,
                  @Schema(examples = "4.2") double meanNumbersLeased, Duration hold, @Schema(examples = "0.99") double target,
                  @Schema(description = "measured (fitted to every call on the pool's numbers, each split among the "
                          + "number's holders by how likely it came from each) or configured (the sizing defaults: fewer calls "
                          + "than sizing.minCalls)", enumeration = {"measured", "configured"}, examples = "measured")
                  String delayBasis,
                  @Schema(description = "how far the measured delay curve reaches: past it calls of several holders overlap "
                          + "too much to tell apart, and the defaults' shape is assumed; null when configured", examples = "PT12H")
                  Duration delayMeasuredUpTo,
                  @Schema(description = "share of the calls after a visit that come later than delayMeasuredUpTo (their "
                          + "count is measured, their spread assumed); null when configured", examples = "0.08")
                  Double delayAssumedShare,
                  @Schema(description = "calls on the pool's numbers in the window", examples = "412") int callsMeasured, @Schema(examples = "0.6") double callsAfterVisitShare,
                  @Schema(description = "q* = 1 - (1 - target) / callsAfterVisitShare", examples = "0.9833") double delayQuantile,
                  @Schema(description = "X*: the call delay at quantile q*") Duration xStar,
                  @Schema(description = "max(hold, X*): how long a number stays with its last visit") Duration window) {
    }

    static SizingView sizing(String poolId, PoolReports.Sizing s) {
        PoolSizing.Report r = s.report();
        return new SizingView(poolId, r.currentSize(), r.recommendedSize(), r.expectedAccuracy(), r.targetReachable(), r.options(),
                new Inputs(s.from(), s.to(), r.visits(), r.visitsPerHour(), r.meanVisitLength(), r.meanLeased(), s.hold(),
                        s.target(), s.delayBasis(), s.measuredUpTo(), s.assumedShare(), s.callsMeasured(), s.callsAfterVisitShare(), r.quantile(), r.xStar(),
                        r.window()));
    }

    @Schema(name = "NewNumber")
    record NewNumber(@Schema(description = "phone number in any common format", examples = "+1 212 555 0199") String number) {
    }
}
