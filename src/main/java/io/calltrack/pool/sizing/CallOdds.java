package io.calltrack.pool.sizing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The probability that a call came from the visit it was attributed to: that visit's call intensity at the
 * ring time over the sum of every holder's of the number (the same model {@link DelayFit} fits, so a call on a
 * number whose previous holder left minutes ago is less sure than one on a number that rested for days).
 *
 * @param delays     the pool's visit-end → call delays (fitted, or the configured defaults)
 * @param afterShare share of calls placed after the visit
 * @param pingMs     how often a visit renews its lease: up to one interval after its last ping it may still be on
 *                   the page
 */
public record CallOdds(DelayDistribution delays, double afterShare, long pingMs) {

    /** Earlier holders a call's probability weighs: as many as the fit splits a call among ({@link DelayFit}). */
    public static final int MAX_HOLDERS = DelayFit.MAX_CANDIDATES;
    /** And as far back: the week a pool's call model is fitted on. */
    public static final Duration LOOKBACK = Duration.ofDays(7);

    /** A lease of the number: from its start to the visit's last activity. */
    public record Holder(Instant start, Instant lastSeen) {
    }

    /** {@code holders}: every lease of the number that started by the ring time, as far back as known. */
    public double probability(List<Holder> holders, Holder chosen, Instant at) {
        double sum = 0;
        for (Holder h : holders) {
            sum += intensity(h, at);
        }
        double mine = intensity(chosen, at);
        return sum <= 0 ? (holders.size() == 1 ? 1 : 1.0 / holders.size()) : mine / sum;
    }

    double intensity(Holder h, Instant at) {
        double d = Duration.between(h.lastSeen(), at).toMillis();
        double span = Math.max(0, Duration.between(h.start(), h.lastSeen()).toMillis()) + Math.max(1, pingMs);
        if (delays instanceof FittedDelays f) {
            return d <= f.pingMs() ? f.duringMass() / span : f.intensityAfter(d);
        }
        double during = d <= pingMs ? (1 - afterShare) / span : 0;
        return during + afterShare * delays.density(Math.max(1, d));
    }
}
