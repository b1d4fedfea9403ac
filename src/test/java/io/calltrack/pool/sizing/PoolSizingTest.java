package io.calltrack.pool.sizing;

import io.calltrack.pool.sizing.PoolSizing.Visit;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PoolSizingTest {

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

    private static Instant at(double hours) {
        return T0.plusMillis(Math.round(hours * 3_600_000));
    }

    private static Duration hours(double h) {
        return Duration.ofMillis(Math.round(h * 3_600_000));
    }

    /**
     * By hand: three one-hour visits in a 10 h window; number A reissued 2 h after its first visit ended,
     * number B never reissued. Ten late calls with delays 1,1,1,1,3,3,3,5,5,5 h and as many during visits.
     * after-visit share 0.5 -> q* = 1 - 0.01/0.5 = 0.98 -> X* = 5 h (10th of 10) -> window 5 h.
     * Visits alive with their window: [0,6) [3,9) [5,11): peak 3 at t = 5 h.
     * Rests: A after visit 1: 2 h (cdf 0.4); A after visit 2: 10-4 = 6 h (1.0); B: 10-6 = 4 h (0.7).
     * Accuracy = 0.5 + 0.5 * (0.4 + 1.0 + 0.7) / 3 = 0.85.
     * Model: mean leased = 3 * 70 min / 10 h = 0.35, rate 0.3/h; size 1: rest = 10 min + 0.65/0.3 h
     * = 2 h 20 min -> cdf 0.4 -> 0.7; size 2: rest = 10 min + 5.5 h -> cdf 1 -> 1.0.
     */
    @Test
    void recommendedSizeAndAccuracyMatchTheHandComputation() {
        List<Visit> visits = List.of(
                new Visit("A", at(0), at(1)),
                new Visit("A", at(3), at(4)),
                new Visit("B", at(5), at(6)));
        DelayDistribution delays = DelayDistribution.measured(List.of(hours(1), hours(1), hours(1), hours(1),
                hours(3), hours(3), hours(3), hours(5), hours(5), hours(5)));
        PoolSizing.Report report = PoolSizing.compute(new PoolSizing.Inputs(2, Duration.ofMinutes(10), at(0), at(10),
                visits, delays, 0.5, 0.99));

        assertEquals(0.98, report.quantile(), 1e-9);
        assertEquals(hours(5), report.xStar());
        assertEquals(hours(5), report.window());
        assertEquals(3, report.recommendedSize());
        assertEquals(0.85, report.expectedAccuracy(), 1e-9);
        assertEquals(0.35, report.meanLeased(), 1e-9);
        assertEquals(0.3, report.visitsPerHour(), 1e-9);
        assertEquals(hours(1), report.meanVisitLength());
        assertEquals(report.expectedAccuracy(), report.options().get(0).expectedAccuracy(), 1e-9,
                "the current size's row says what the pool says of itself");
        assertEquals("measured", report.options().get(0).basis());
        assertEquals("model", report.options().get(1).basis());
        assertEquals("recommended", report.options().get(3).label());
        assertEquals(3, report.options().get(3).size());
    }

    @Test
    void modelAccuracyAtSizeOne() {
        List<Visit> visits = List.of(new Visit("A", at(0), at(1)), new Visit("A", at(3), at(4)), new Visit("B", at(5), at(6)));
        DelayDistribution delays = DelayDistribution.measured(List.of(hours(1), hours(1), hours(1), hours(1),
                hours(3), hours(3), hours(3), hours(5), hours(5), hours(5)));
        PoolSizing.Report report = PoolSizing.compute(new PoolSizing.Inputs(1, Duration.ofMinutes(10), at(0), at(10),
                visits, delays, 0.5, 0.99));
        // 0.35 numbers leased on average, 0.3 visits an hour: a released number rests 10 min + 0.65 / 0.3 h
        assertEquals(0.7, PoolSizing.modelAccuracy(1, Duration.ofMinutes(10), report.meanLeased(), report.visitsPerHour(),
                0.5, 0.5, delays), 1e-9);
    }

    @Test
    void holdLongerThanTheDelayQuantileSetsTheWindow() {
        DelayDistribution delays = DelayDistribution.measured(List.of(Duration.ofMinutes(1)));
        PoolSizing.Report report = PoolSizing.compute(new PoolSizing.Inputs(5, Duration.ofMinutes(30), at(0), at(2),
                List.of(new Visit("A", at(0), at(0.5)), new Visit("B", at(1), at(1.2))), delays, 0.5, 0.99));
        assertEquals(Duration.ofMinutes(30), report.window());
        assertEquals(1, report.recommendedSize(), "A's window [0, 1 h) ends as B starts at 1 h: one number serves both");
    }

    @Test
    void configuredQuantilesInterpolateOnALogScaleWithATail() {
        TreeMap<Double, Duration> points = new TreeMap<>();
        points.put(0.5, Duration.ofMinutes(30));
        points.put(0.9, Duration.ofHours(6));
        points.put(0.99, Duration.ofHours(24));
        DelayDistribution d = DelayDistribution.configured(points);
        assertEquals(Duration.ofMinutes(30), d.quantile(0.5));
        assertEquals(Duration.ofHours(24), d.quantile(0.99));
        assertEquals(0.5, d.cdf(Duration.ofMinutes(30)), 1e-9);
        assertEquals(0.9, d.cdf(Duration.ofHours(6)), 1e-9);
        // halfway between 30 min and 6 h on a log scale: sqrt(0.5 * 6) h = 1.732 h -> q = 0.7
        assertEquals(0.7, d.cdf(Duration.ofMillis(Math.round(Math.sqrt(3) * 3_600_000))), 1e-6);
        assertEquals(Duration.ofHours(48), d.quantile(0.995), "Pareto tail: 24 h * 0.01 / 0.005");
        assertEquals(0.995, d.cdf(Duration.ofHours(48)), 1e-9);
        assertEquals(0.25, d.cdf(Duration.ofMinutes(15)), 1e-9);
    }
}
