package io.calltrack.pool.sizing;

import java.time.Duration;

/**
 * The visit-end → call delay as {@link DelayFit} estimated it from a pool's own leases and calls: a histogram
 * of call intensity per visit up to {@link #measuredUpTo()}, and beyond it a {@link DelayTail} scaled to the tail
 * mass the fit found. Delays up to the ping interval count as calls during the visit.
 */
public final class FittedDelays extends DelayDistribution {

    private final double[] edges;      // ms; bin b is [edges[b], edges[b+1])
    private final double[] density;    // calls per visit per ms in each measured bin
    private final int measuredBins;
    private final double tailMass;     // calls per visit after measuredUpTo
    private final double duringMass;   // calls per visit during it (delay up to edges[0])
    private final DelayTail tail;
    private final double afterMass;
    private final int calls;

    FittedDelays(double[] edges, double[] density, int measuredBins, double tailMass, double duringMass,
                 DelayTail tail, int calls) {
        this.edges = edges;
        this.density = density;
        this.measuredBins = measuredBins;
        this.tailMass = tailMass;
        this.duringMass = duringMass;
        this.tail = tail;
        this.calls = calls;
        double after = tailMass;
        for (int b = 0; b < measuredBins; b++) {
            after += density[b] * (edges[b + 1] - edges[b]);
        }
        this.afterMass = after;
    }

    /** Share of calls placed after the visit (its last ping plus one ping interval). */
    public double afterShare() {
        double all = afterMass + duringMass;
        return all <= 0 ? 0 : afterMass / all;
    }

    /** Up to here the curve is this pool's own bin by bin; beyond it, the {@link DelayTail} (assumed or fitted). */
    public Duration measuredUpTo() {
        return Duration.ofMillis(Math.round(edges[measuredBins]));
    }

    /** Share of the calls after a visit that come later than {@link #measuredUpTo()}: the assumed part. */
    public double assumedShare() {
        return afterMass <= 0 ? 1 : tailMass / afterMass;
    }

    /** Calls per visit per ms at this delay after the visit's end, or per visit spread over the visit. */
    double intensityAfter(double ms) {
        if (ms <= edges[0]) {
            return 0;
        }
        if (ms < edges[measuredBins]) {
            return density[bin(ms)];
        }
        return tailMass * tail.density(ms);
    }

    double duringMass() {
        return duringMass;
    }

    double pingMs() {
        return edges[0];
    }

    private int bin(double ms) {
        int lo = 0, hi = measuredBins - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (edges[mid] <= ms) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** Calls per visit with a delay after the visit of at most {@code ms}. */
    private double massUpTo(double ms) {
        if (ms <= edges[0]) {
            return 0;
        }
        double sum = 0;
        for (int b = 0; b < measuredBins && edges[b] < ms; b++) {
            sum += density[b] * (Math.min(ms, edges[b + 1]) - edges[b]);
        }
        double h = edges[measuredBins];
        if (ms > h) {
            sum += tailMass * tail.share(h, ms);
        }
        return sum;
    }

    @Override
    public double cdf(Duration delay) {
        return afterMass <= 0 ? 1 : Math.min(1, massUpTo(delay.toMillis()) / afterMass);
    }

    @Override
    public Duration quantile(double q) {
        return quantileOf(this, q);
    }

    @Override
    public String basis() {
        return "measured";
    }

    @Override
    public int sampleSize() {
        return calls;
    }
}
