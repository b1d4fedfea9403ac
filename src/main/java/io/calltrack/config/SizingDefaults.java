package io.calltrack.config;

import java.time.Duration;
import java.util.NavigableMap;

/**
 * What pool sizing assumes until a pool has enough calls of its own, and, after, the shape of the delay tail past
 * what the pool can measure.
 *
 * @param target                 share of calls that must reach the right session (e.g. 0.99)
 * @param callsAfterVisitShare   share of calls placed after the visit ended (the rest come during it)
 * @param callDelayQuantiles     quantiles of the delay from visit end to call (e.g. 0.5 → 30m, 0.99 → 24h)
 * @param minCalls               calls on a pool's numbers before its delays are fitted (below it these defaults stand alone)
 */
public record SizingDefaults(
        double target,
        double callsAfterVisitShare,
        NavigableMap<Double, Duration> callDelayQuantiles,
        int minCalls) {
}
