package io.calltrack.pool.sizing;

import io.calltrack.pool.sizing.PoolSizing.Visit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Estimates the visit-end → call delay from a pool's leases and the calls its numbers received, without
 * trusting the pool's own attributions: a late caller of an earlier holder rings while a later one holds the
 * number, so reading delays off attributed calls makes an undersized pool look accurate.
 *
 * <p>Every call on a number is seen, whoever held it; what is unknown is which of the number's holders it
 * came from. The calls on a number are modelled as a Poisson process whose intensity is the sum, over the
 * number's holders, of a per-visit call intensity at the delay since that holder's visit ended (and, during a
 * visit, a share spread over it). The per-visit intensity is a histogram on log-spaced delays, fitted by
 * expectation-maximisation (each call split among its candidate holders in proportion to their intensity at
 * its ring time), with each visit exposed only over the part of the observed window its delays fall in
 * (right-censoring: recent visits have not called yet).
 *
 * <p>The histogram is trusted only as far as enough visits' numbers rested uninterrupted: past that horizon
 * the calls of many holders overlap and their delays cannot be told apart. For sizing ({@link #fit}) the
 * configured defaults' shape is used there, scaled to the tail mass the fit finds, and the result says how much
 * of the curve that is: the size a target needs depends on delays an undersized pool never sees, and those are
 * assumed rather than extrapolated. For a call's probability ({@link #fitOdds}) the tail is fitted too.
 */
public final class DelayFit {

    private static final int BINS_PER_DECADE = 6;
    /** Holders a call is split among: the oldest beyond this carry a negligible share. */
    static final int MAX_CANDIDATES = 64;
    private static final int MAX_ITERATIONS = 400;
    /** The power-law tail's slope: where the search for it starts, and the range it searches. */
    private static final double START_SLOPE = 1.5, MIN_SLOPE = 0, MAX_SLOPE = 6;

    private DelayFit() {
    }

    /** A call on one of the pool's numbers, at ring time. */
    public record CallOn(String number, Instant at) {
    }

    /**
     * @param visits   the pool's leases that ended (or were live) in or shortly before [from, to]
     * @param calls    the calls on the pool's numbers that rang in [from, to]
     * @param ping     how often a visit renews its lease: delays up to it count as during the visit
     * @param defaults the configured delays, for the tail the pool cannot observe and to start from
     * @param defaultAfterShare the configured share of calls after the visit, to start from
     */
    public static FittedDelays fit(List<Visit> visits, List<CallOn> calls, Instant from, Instant to, long pingMs,
                                   DelayDistribution defaults, double defaultAfterShare) {
        return fit(visits, calls, from, to, pingMs, defaults, defaultAfterShare, Use.SIZING);
    }

    /**
     * The same fit for weighing a call's holders against each other ({@link CallOdds}): the best estimate of what
     * the window shows rather than a plan for what it cannot. The bins stop where 30% of the numbers rested past
     * (where 10% do, a bin's calls still include older holders' and the fit credits them too much), and the tail is
     * a power law whose slope the calls past that fit, up to the window's longest delay. The delays a call's holders
     * have lie in the window, where that tail is informed by the calls themselves; the configured defaults' shape
     * there made the probabilities of an undersized pool's calls up to 13 points too low.
     */
    public static FittedDelays fitOdds(List<Visit> visits, List<CallOn> calls, Instant from, Instant to, long pingMs,
                                       DelayDistribution defaults, double defaultAfterShare) {
        return fit(visits, calls, from, to, pingMs, defaults, defaultAfterShare, Use.ODDS);
    }

    /** What a fit is for: the share of numbers that must rest past a bin for it to be measured, and the tail. */
    private enum Use {
        SIZING(0.1), ODDS(0.3);

        final double rested;

        Use(double rested) {
            this.rested = rested;
        }
    }

    private static FittedDelays fit(List<Visit> visits, List<CallOn> calls, Instant from, Instant to, long pingMs,
                                    DelayDistribution defaults, double defaultAfterShare, Use use) {
        long lo = from.toEpochMilli(), hi = to.toEpochMilli();
        Map<String, List<Visit>> byNumber = PoolSizing.byNumber(visits);

        double e0 = Math.max(1, pingMs);
        long earliestEnd = visits.stream().mapToLong(v -> v.end().toEpochMilli()).min().orElse(lo);
        double[] edges = edges(e0, Math.max(e0 * 10, hi - earliestEnd + 1.0));
        int bins = edges.length - 1;

        // exposure: how much of each delay bin every visit's calls could have rung in the window
        double[] exposure = new double[bins];
        double duringExposure = 0;
        List<Double> cleanRests = new ArrayList<>();
        for (List<Visit> holders : byNumber.values()) {
            for (int i = 0; i < holders.size(); i++) {
                Visit v = holders.get(i);
                long start = v.start().toEpochMilli(), end = v.end().toEpochMilli();
                double span = end - start + e0;
                duringExposure += Math.max(0, Math.min(hi, end + e0) - Math.max(lo, start)) / span;
                for (int b = 0; b < bins; b++) {
                    double a = Math.max(end + edges[b], lo), z = Math.min(end + edges[b + 1], hi);
                    if (end + edges[b] > hi) {
                        break;
                    }
                    exposure[b] += Math.max(0, z - a);
                }
                long next = i + 1 < holders.size() ? holders.get(i + 1).start().toEpochMilli() : hi;
                if (end <= hi) {
                    cleanRests.add((double) Math.max(0, Math.min(next, hi) - end));
                }
            }
        }
        int measured = horizon(edges, cleanRests, visits.size(), use.rested);
        double beyond = 1 - defaults.cdfAt(edges[measured]);
        DelayTail shape = use == Use.SIZING ? new DelayTail.Shaped(defaults, edges[measured])
                : new DelayTail.Power(edges[measured], edges[bins], START_SLOPE);
        double[] tailShare = tailShare(shape, edges, measured);

        // candidates: for every call, each holder it may have come from (bin index, or -1 during the visit)
        List<int[]> candBins = new ArrayList<>();
        List<double[]> candWeights = new ArrayList<>();
        for (CallOn c : calls) {
            List<Visit> holders = byNumber.get(c.number());
            long at = c.at().toEpochMilli();
            if (holders == null || at < lo || at > hi) {
                continue;
            }
            int last = lastStartedBy(holders, at);
            int n = Math.min(MAX_CANDIDATES, last + 1);
            int[] cb = new int[n];
            double[] cw = new double[n];
            int k = 0;
            for (int i = last; i >= 0 && k < n; i--) {
                Visit v = holders.get(i);
                double d = at - v.end().toEpochMilli();
                if (d <= e0) {
                    cb[k] = -1;
                    cw[k] = 1 / (v.end().toEpochMilli() - v.start().toEpochMilli() + e0);
                } else if (d < edges[bins]) {
                    cb[k] = bin(edges, d);
                    cw[k] = 1;
                } else {
                    break;
                }
                k++;
            }
            if (k > 0) {
                candBins.add(Arrays.copyOf(cb, k));
                candWeights.add(Arrays.copyOf(cw, k));
            }
        }

        // start from the defaults, scaled to the calls seen per visit
        double perVisit = visits.isEmpty() ? 0 : Math.max(1e-9, (double) candBins.size() / Math.max(1, visits.size()));
        double during = perVisit * (1 - defaultAfterShare);
        double tail = perVisit * defaultAfterShare * beyond;
        double[] density = new double[bins];
        for (int b = 0; b < measured; b++) {
            density[b] = perVisit * defaultAfterShare * (defaults.cdfAt(edges[b + 1])
                    - defaults.cdfAt(edges[b])) / (edges[b + 1] - edges[b]);
        }
        double[] intensity = new double[bins];
        for (int iter = 0; iter < MAX_ITERATIONS; iter++) {
            for (int b = 0; b < bins; b++) {
                intensity[b] = b < measured ? density[b] : tail * tailShare[b];
            }
            double cDuring = 0;
            double[] counts = new double[bins];
            for (int j = 0; j < candBins.size(); j++) {
                int[] cb = candBins.get(j);
                double[] cw = candWeights.get(j);
                double sum = 0;
                for (int k = 0; k < cb.length; k++) {
                    sum += cb[k] < 0 ? during * cw[k] : intensity[cb[k]];
                }
                if (sum <= 0) {
                    continue;
                }
                for (int k = 0; k < cb.length; k++) {
                    double r = (cb[k] < 0 ? during * cw[k] : intensity[cb[k]]) / sum;
                    if (cb[k] < 0) {
                        cDuring += r;
                    } else {
                        counts[cb[k]] += r;
                    }
                }
            }
            double change = 0;
            double newDuring = duringExposure > 0 ? cDuring / duringExposure : 0;
            change = Math.max(change, relative(during, newDuring));
            during = newDuring;
            double tailCount = 0;
            for (int b = 0; b < bins; b++) {
                if (b < measured) {
                    double nd = exposure[b] > 0 ? counts[b] / exposure[b] : 0;
                    change = Math.max(change, relative(density[b], nd));
                    density[b] = nd;
                } else {
                    tailCount += counts[b];
                }
            }
            smooth(density, edges, measured, tail, tailShare);
            nonIncreasing(density, exposure, measured);
            if (shape instanceof DelayTail.Power p) {
                double slope = slope(p, counts, exposure, edges, measured);
                change = Math.max(change, relative(p.slope(), slope));
                shape = new DelayTail.Power(p.from(), p.to(), slope);
                tailShare = tailShare(shape, edges, measured);
            }
            double tailExposure = 0;
            for (int b = measured; b < bins; b++) {
                tailExposure += tailShare[b] * exposure[b];
            }
            double newTail = tailExposure > 0 ? tailCount / tailExposure : 0;
            change = Math.max(change, relative(tail, newTail));
            tail = newTail;
            if (change < 1e-6) {
                break;
            }
        }
        return new FittedDelays(edges, Arrays.copyOf(density, measured), measured, tail, during, shape, candBins.size());
    }

    /** Each tail bin's share of the tail's calls, per ms of the bin. */
    private static double[] tailShare(DelayTail shape, double[] edges, int measured) {
        double[] share = new double[edges.length - 1];
        for (int b = measured; b < share.length; b++) {
            share[b] = shape.share(edges[b], edges[b + 1]) / (edges[b + 1] - edges[b]);
        }
        return share;
    }

    /**
     * The power-law slope that makes the tail bins' calls (this EM step's split) most likely, with the tail's mass
     * at its best for each slope: the profile likelihood {@code sum(c_b log s_b) - C log(sum(s_b e_b / w_b))} of
     * bin shares {@code s_b}, calls {@code c_b} and exposure {@code e_b}, maximised by golden-section search.
     */
    static double slope(DelayTail.Power p, double[] counts, double[] exposure, double[] edges, int measured) {
        double a = MIN_SLOPE, z = MAX_SLOPE;
        double g = (Math.sqrt(5) - 1) / 2;
        double x1 = z - g * (z - a), x2 = a + g * (z - a);
        double f1 = tailLikelihood(x1, p, counts, exposure, edges, measured);
        double f2 = tailLikelihood(x2, p, counts, exposure, edges, measured);
        while (z - a > 1e-4) {
            if (f1 < f2) {
                a = x1;
                x1 = x2;
                f1 = f2;
                x2 = a + g * (z - a);
                f2 = tailLikelihood(x2, p, counts, exposure, edges, measured);
            } else {
                z = x2;
                x2 = x1;
                f2 = f1;
                x1 = z - g * (z - a);
                f1 = tailLikelihood(x1, p, counts, exposure, edges, measured);
            }
        }
        return (a + z) / 2;
    }

    private static double tailLikelihood(double slope, DelayTail.Power p, double[] counts, double[] exposure,
                                         double[] edges, int measured) {
        DelayTail.Power t = new DelayTail.Power(p.from(), p.to(), slope);
        double logSum = 0, calls = 0, exposed = 0;
        for (int b = measured; b < counts.length; b++) {
            double s = t.share(edges[b], edges[b + 1]);
            if (counts[b] > 0) {
                logSum += counts[b] * Math.log(Math.max(s, 1e-300));
                calls += counts[b];
            }
            exposed += s * exposure[b] / (edges[b + 1] - edges[b]);
        }
        return calls <= 0 || exposed <= 0 ? 0 : logSum - calls * Math.log(exposed);
    }

    /**
     * One smoothing step of the measured rates (EM with smoothing, as in emission tomography): each bin's calls
     * per log-width spread {@code [1 4 6 4 1] / 16} over its neighbours, the first tail bins included. A tail bin
     * holds a dozen calls on a mid-sized pool, and the probability of a call is a ratio of holders' rates in
     * neighbouring bins: unsmoothed, one noisy bin makes whole bands of probabilities over-sure.
     */
    static void smooth(double[] density, double[] edges, int measured, double tail, double[] tailShare) {
        int bins = edges.length - 1;
        double[] mass = new double[bins];
        for (int b = 0; b < bins; b++) {
            mass[b] = (b < measured ? density[b] : tail * tailShare[b]) * (edges[b + 1] - edges[b]);
        }
        double[] kernel = {1, 4, 6, 4, 1};
        for (int b = 0; b < measured; b++) {
            double sum = 0, weight = 0;
            for (int k = -2; k <= 2; k++) {
                if (b + k >= 0 && b + k < bins) {
                    sum += kernel[k + 2] * mass[b + k];
                    weight += kernel[k + 2];
                }
            }
            density[b] = sum / weight / (edges[b + 1] - edges[b]);
        }
    }

    /**
     * The calls-per-ms rate of the first {@code n} bins made non-increasing with the delay, as the maximum-likelihood
     * rates under that constraint are (pool-adjacent violators on counts over exposure): a bin's own estimate is
     * noisy where few visits' calls can be told apart, and the probability of a call compares holders whose delays
     * fall in neighbouring bins, so one low bin among higher ones would credit the wrong holder.
     */
    static void nonIncreasing(double[] rate, double[] exposure, int n) {
        double[] c = new double[n], e = new double[n];
        int[] len = new int[n];
        int blocks = 0;
        for (int b = 0; b < n; b++) {
            c[blocks] = rate[b] * exposure[b];
            e[blocks] = exposure[b];
            len[blocks] = 1;
            blocks++;
            while (blocks > 1 && c[blocks - 1] * e[blocks - 2] > c[blocks - 2] * e[blocks - 1]) { // later rate above earlier
                c[blocks - 2] += c[blocks - 1];
                e[blocks - 2] += e[blocks - 1];
                len[blocks - 2] += len[blocks - 1];
                blocks--;
            }
        }
        for (int k = 0, b = 0; k < blocks; k++) {
            double r = e[k] > 0 ? c[k] / e[k] : 0;
            for (int j = 0; j < len[k]; j++) {
                rate[b++] = r;
            }
        }
    }

    /**
     * The last bin edge at least {@code max(20, share)} of the visits' numbers rested past (no later holder, or the
     * window ended): up to there each delay bin has calls that only one holder can have placed.
     */
    static int horizon(double[] edges, List<Double> cleanRests, int visits, double share) {
        double[] sorted = cleanRests.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int need = Math.max(20, (int) Math.ceil(visits * share));
        int k = 0;
        while (k + 1 < edges.length) {
            int idx = lowerBound(sorted, edges[k + 1]);
            if (sorted.length - idx < need) {
                break;
            }
            k++;
        }
        return k;
    }

    private static int lowerBound(double[] sorted, double x) {
        int lo = 0, hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static double[] edges(double first, double last) {
        List<Double> e = new ArrayList<>();
        double step = Math.pow(10, 1.0 / BINS_PER_DECADE);
        for (double x = first; ; x *= step) {
            e.add(x);
            if (x >= last) {
                break;
            }
        }
        return e.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static int bin(double[] edges, double d) {
        int b = (int) Math.floor(Math.log10(d / edges[0]) * BINS_PER_DECADE);
        b = Math.max(0, Math.min(edges.length - 2, b));
        while (b > 0 && edges[b] > d) {
            b--;
        }
        while (b + 2 < edges.length && edges[b + 1] <= d) {
            b++;
        }
        return b;
    }

    /** Index of the last holder that started at or before {@code at}, or -1. */
    private static int lastStartedBy(List<Visit> holders, long at) {
        int lo = 0, hi = holders.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (holders.get(mid).start().toEpochMilli() <= at) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo - 1;
    }

    private static double relative(double a, double b) {
        double m = Math.max(Math.abs(a), Math.abs(b));
        return m < 1e-300 ? 0 : Math.abs(a - b) / m;
    }
}
