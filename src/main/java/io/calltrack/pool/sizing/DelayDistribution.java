package io.calltrack.pool.sizing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * How long after a visit ends people call: either measured (a pool's own attributed calls) or given as
 * quantile points in the config. Between given points the delay is interpolated on a log scale (delays
 * span seconds to days); past the last point a Pareto tail keeps the CDF below 1, as real delays have
 * no hard end.
 */
public abstract sealed class DelayDistribution {

    public abstract Duration quantile(double q);

    public abstract double cdf(Duration delay);

    /** "measured" or "configured". */
    public abstract String basis();

    public abstract int sampleSize();

    public static DelayDistribution measured(List<Duration> delays) {
        return new Measured(delays);
    }

    public static DelayDistribution configured(NavigableMap<Double, Duration> quantiles) {
        return new Configured(quantiles);
    }

    static final class Measured extends DelayDistribution {
        private final List<Long> sortedMs;

        Measured(List<Duration> delays) {
            if (delays.isEmpty()) {
                throw new IllegalArgumentException("a measured distribution needs at least one delay");
            }
            List<Long> ms = new ArrayList<>(delays.stream().map(Duration::toMillis).toList());
            Collections.sort(ms);
            this.sortedMs = ms;
        }

        @Override
        public Duration quantile(double q) {
            int index = (int) Math.ceil(q * sortedMs.size()) - 1;
            return Duration.ofMillis(sortedMs.get(Math.max(0, Math.min(sortedMs.size() - 1, index))));
        }

        @Override
        public double cdf(Duration delay) {
            long x = delay.toMillis();
            int lo = 0, hi = sortedMs.size();
            while (lo < hi) { // count of delays <= x
                int mid = (lo + hi) >>> 1;
                if (sortedMs.get(mid) <= x) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return (double) lo / sortedMs.size();
        }

        @Override
        public String basis() {
            return "measured";
        }

        @Override
        public int sampleSize() {
            return sortedMs.size();
        }
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
