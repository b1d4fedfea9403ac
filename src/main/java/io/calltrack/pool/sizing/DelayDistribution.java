package io.calltrack.pool.sizing;

import java.time.Duration;
import java.util.Map;
import java.util.NavigableMap;

/**
 * How long after a visit ends people call: either fitted to a pool's own calls ({@link FittedDelays}) or given
 * as quantile points in the config. Between given points the delay is interpolated on a log scale (delays
 * span seconds to days); past the last point a Pareto tail keeps the CDF below 1, as real delays have
 * no hard end.
 */
public abstract sealed class DelayDistribution permits DelayDistribution.Configured, FittedDelays {

    public abstract Duration quantile(double q);

    public abstract double cdf(Duration delay);

    /** "measured" (fitted to a pool's calls, with an assumed tail) or "configured". */
    public abstract String basis();

    public abstract int sampleSize();

    public static DelayDistribution configured(NavigableMap<Double, Duration> quantiles) {
        return new Configured(quantiles);
    }

    /** The CDF at a delay given in (fractional) milliseconds, as the fit and the replays compute them. */
    public double cdfAt(double ms) {
        return cdf(Duration.ofMillis(Math.round(ms)));
    }

    /** Density of the delay at {@code ms}, per millisecond (from the CDF around it: every kind has one). */
    public double density(double ms) {
        double x = Math.max(1, ms);
        double lo = x / 1.02, hi = x * 1.02;
        return Math.max(0, cdfAt(hi) - cdfAt(lo)) / (hi - lo);
    }

    /** The quantile by bisection on a log scale of the CDF, for kinds that only have a CDF. */
    static Duration quantileOf(DelayDistribution d, double p) {
        double lo = 1, hi = Duration.ofDays(36_500).toMillis();
        if (d.cdf(Duration.ofMillis((long) hi)) < p) {
            return Duration.ofMillis((long) hi);
        }
        for (int i = 0; i < 80; i++) {
            double mid = Math.sqrt(lo * hi);
            if (d.cdfAt(mid) >= p) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return Duration.ofMillis(Math.round(hi));
    }

    static final class Configured extends DelayDistribution {
        private final double[] q;
        private final double[] ms;

        Configured(NavigableMap<Double, Duration> quantiles) {
            if (quantiles.isEmpty()) {
                throw new IllegalArgumentException("at least one quantile point is needed");
            }
            q = new double[quantiles.size()];
            ms = new double[quantiles.size()];
            int i = 0;
            for (Map.Entry<Double, Duration> e : quantiles.entrySet()) {
                q[i] = e.getKey();
                ms[i] = Math.max(1, e.getValue().toMillis());
                i++;
            }
        }

        @Override
        public Duration quantile(double p) {
            if (p <= q[0]) {
                return Duration.ofMillis(Math.round(ms[0] * p / q[0]));
            }
            int last = q.length - 1;
            if (p >= 1) {
                return Duration.ofDays(36_500);
            }
            if (p > q[last]) {
                return Duration.ofMillis(Math.round(ms[last] * (1 - q[last]) / (1 - p)));
            }
            int i = 1;
            while (q[i] < p) {
                i++;
            }
            double t = (p - q[i - 1]) / (q[i] - q[i - 1]);
            return Duration.ofMillis(Math.round(Math.exp(Math.log(ms[i - 1]) + t * (Math.log(ms[i]) - Math.log(ms[i - 1])))));
        }

        @Override
        public double cdf(Duration delay) {
            double x = delay.toMillis();
            if (x <= ms[0]) {
                return q[0] * x / ms[0];
            }
            int last = q.length - 1;
            if (x >= ms[last]) {
                return 1 - (1 - q[last]) * ms[last] / x;
            }
            int i = 1;
            while (ms[i] < x) {
                i++;
            }
            double t = (Math.log(x) - Math.log(ms[i - 1])) / (Math.log(ms[i]) - Math.log(ms[i - 1]));
            return q[i - 1] + t * (q[i] - q[i - 1]);
        }

        @Override
        public String basis() {
            return "configured";
        }

        @Override
        public int sampleSize() {
            return 0;
        }
    }
}
