package io.calltrack.pool.sizing;

/**
 * The spread of a fitted delay curve's calls past the delay up to which it is measured bin by bin ({@code from}):
 * each kind gives the share of that tail's calls between two delays and its density, both relative to the tail's
 * whole mass.
 */
sealed interface DelayTail {

    /** Share of the tail's calls with a delay in [a, b] (both at or past {@code from}). */
    double share(double a, double b);

    /** Share of the tail's calls per ms at this delay. */
    double density(double ms);

    /** The configured defaults' shape past {@code from}: what sizing assumes where the pool cannot see. */
    record Shaped(DelayDistribution shape, double from) implements DelayTail {

        @Override
        public double share(double a, double b) {
            double beyond = 1 - shape.cdfAt(from);
            return beyond <= 0 ? 0 : (shape.cdfAt(b) - shape.cdfAt(a)) / beyond;
        }

        @Override
        public double density(double ms) {
            double beyond = 1 - shape.cdfAt(from);
            return beyond <= 0 ? 0 : shape.density(ms) / beyond;
        }
    }

    /**
     * A density falling as {@code delay^-slope} from {@code from} to {@code to} (the longest delay the fit's window
     * holds) and none past it: two parameters the calls past the horizon can inform, where a histogram's bins there
     * would each be shared by many holders.
     */
    record Power(double from, double to, double slope) implements DelayTail {

        @Override
        public double share(double a, double b) {
            double lo = Math.max(from, a), hi = Math.min(to, b);
            return hi <= lo ? 0 : integral(lo, hi) / integral(from, to);
        }

        @Override
        public double density(double ms) {
            return ms < from || ms > to ? 0 : Math.pow(ms, -slope) / integral(from, to);
        }

        /** The integral of {@code x^-slope} over [a, b], computed as a ratio to stay finite for any delay in ms. */
        private double integral(double a, double b) {
            double k = 1 - slope;
            double r = Math.log(b / a);
            // a^k (exp(k r) - 1) / k, and a^k r as k -> 0
            double scaled = Math.abs(k * r) < 1e-9 ? r : Math.expm1(k * r) / k;
            return Math.pow(a, k) * scaled;
        }
    }
}
