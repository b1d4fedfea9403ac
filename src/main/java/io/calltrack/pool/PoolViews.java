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
    record PoolView(String id, String siteKey, String kind, int size, Long free, Long leasedNumbers, Long sessions,
                    Long blocked, Long exhaustions, Integer peakLeasedLastHour,
                    Integer peakLeasedLastDay, Integer recommendedSize, Double expectedAccuracy, String sizingBasis,
                    @Schema(description = "hold after the last ping, ISO-8601") Duration hold,
                    Duration lateCallWindow, String exhaustion) {

        static PoolView of(PoolSpec pool, PoolReports.LiveStats live, PoolReports.Peaks peaks, PoolReports.Sizing sizing) {
            boolean dynamic = pool.isDynamic();
            return new PoolView(pool.id(), pool.siteKey(), pool.kind().name().toLowerCase(), pool.numbers().size(),
                    dynamic ? live.free() : null, dynamic ? live.leasedNumbers() : null, dynamic ? live.sessions() : null,
                    dynamic ? live.blocked() : null, dynamic ? live.exhaustions() : null,
                    peaks == null ? null : peaks.lastHour(), peaks == null ? null : peaks.lastDay(), sizing == null ? null : sizing.report().recommendedSize(),
                    sizing == null ? null : sizing.report().expectedAccuracy(), sizing == null ? null : sizing.delayBasis(),
                    dynamic ? pool.hold() : null, dynamic ? pool.lateCallWindow() : null,
                    dynamic ? pool.exhaustion().name().toLowerCase() : null);
        }
    }

    @Schema(name = "PoolSizing", description = "Recommended size and expected attribution accuracy, with every input")
    record SizingView(String poolId, int currentSize, int recommendedSize,
                      @Schema(description = "share of calls expected to reach the right visit at the current size, "
                              + "from how long numbers actually rested between holders; null without visits")
                      Double expectedAccuracy,
                      List<PoolSizing.SizeOption> options, Inputs inputs) {
    }

    @Schema(name = "PoolSizingInputs")
    record Inputs(Instant from, Instant to, int visits, double visitsPerHour, Duration meanVisitLength,
                  double meanNumbersLeased, Duration hold, double target,
                  @Schema(description = "measured (from this pool's attributed calls) or configured (sizing defaults)")
                  String delayBasis,
                  int callsMeasured, double callsAfterVisitShare,
                  @Schema(description = "q* = 1 - (1 - target) / callsAfterVisitShare") double delayQuantile,
                  @Schema(description = "X*: the call delay at quantile q*") Duration xStar,
                  @Schema(description = "max(hold, X*): how long a number stays with its last visit") Duration window) {
    }

    static SizingView sizing(String poolId, PoolReports.Sizing s) {
        PoolSizing.Report r = s.report();
        return new SizingView(poolId, r.currentSize(), r.recommendedSize(), r.expectedAccuracy(), r.options(),
                new Inputs(s.from(), s.to(), r.visits(), r.visitsPerHour(), r.meanVisitLength(), r.meanLeased(), s.hold(),
                        s.target(), s.delayBasis(), s.callsMeasured(), s.callsAfterVisitShare(), r.quantile(), r.xStar(),
                        r.window()));
    }

    @Schema(name = "NewNumber")
    record NewNumber(@Schema(description = "phone number in any common format", examples = "+1 212 555 0199") String number) {
    }
}
