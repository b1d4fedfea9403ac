package io.calltrack.pool.sizing;

import io.calltrack.pool.sizing.PoolSizing.Visit;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PoolSizingTest {

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

    private static Instant at(double hours) {
        return T0.plusMillis(Math.round(hours * 3_600_000));
    }

    private static Visit visit(String number, double start, double end) {
        return new Visit(number, at(start), at(end), at(end).plus(Duration.ofMinutes(10)));
    }

    /** Delays uniform on a log scale from 1 h (q 0) to 9 h (q 1): cdf(3 h) = 0.5. */
    private static DelayDistribution delays() {
        TreeMap<Double, Duration> q = new TreeMap<>();
        q.put(0.0, Duration.ofHours(1));
        q.put(1.0, Duration.ofHours(9));
        return DelayDistribution.configured(q);
    }

    /**
     * By hand: three one-hour visits in a 10 h window; number A reissued 2 h after its first visit ended (a rest
     * the pool really had), visits 2 and 3 not followed by anyone by 10 h. Their rests come from the replay at the
     * current size, continued by a copy of the window shifted 10 h: two numbers n0, n1 least recently released
     * first; v1 takes n0, v2 n1, v3 n0; the copy's v1 takes n1 at 10 h (v2 rested 6 h), its v2 n0 at 13 h (v3: 7 h).
     * cdf, log-uniform 1..9 h: ln2/ln9, ln6/ln9, ln7/ln9. Accuracy = 0.5 + 0.5 * their mean.
     */
    @Test
    void accuracyAtTheCurrentSizeFromTheRestsTheNumbersHad() {
        List<Visit> visits = List.of(visit("A", 0, 1), visit("A", 3, 4), visit("B", 5, 6));
        PoolSizing.Report report = PoolSizing.compute(new PoolSizing.Inputs(2, Duration.ofMinutes(10), Duration.ofDays(1),
                at(0), at(10), visits, delays(), 0.5, 0.99));
        double ln9 = Math.log(9);
        assertEquals(0.5 + 0.5 * (Math.log(2) / ln9 + Math.log(6) / ln9 + Math.log(7) / ln9) / 3, report.expectedAccuracy(), 1e-6);
        assertEquals(report.expectedAccuracy(), report.options().get(0).expectedAccuracy(), 1e-9,
                "the current size's row says what the pool says of itself");
        assertEquals("measured", report.options().get(0).basis());
        assertEquals(3, report.visits());
        assertEquals(0.3, report.visitsPerHour(), 1e-9);
        assertEquals(Duration.ofHours(1), report.meanVisitLength());
        assertEquals(0.35, report.meanLeased(), 1e-9);
    }

    /**
     * One number replayed: visit 1 ends at 1 h and the number is taken at 3 h (2 h rest), visit 2 ends at 4 h and
     * visit 3 takes it at 5 h (1 h rest: cdf 0), visit 3 rests until the copy's visit 1 at 10 h (4 h: ln4/ln9).
     * Three numbers: every rest reaches the copy (10 h or more): all right.
     */
    @Test
    void otherSizesComeFromReplayingTheVisitsAndTheRecommendedIsTheSmallestReachingTheTarget() {
        List<Visit> visits = List.of(visit("A", 0, 1), visit("A", 3, 4), visit("B", 5, 6));
        PoolSizing.Report report = PoolSizing.compute(new PoolSizing.Inputs(2, Duration.ofMinutes(10), Duration.ofDays(1),
                at(0), at(10), visits, delays(), 0.5, 0.99));
        PoolSizing.SizeOption half = report.options().stream().filter(o -> o.label().equals("half")).findFirst().orElseThrow();
        assertEquals(1, half.size());
        assertEquals("model", half.basis());
        double expected = 0.5 + 0.5 * (Math.log(2) / Math.log(9) + 0 + Math.log(4) / Math.log(9)) / 3;
        assertEquals(expected, half.expectedAccuracy(), 1e-6);
        assertEquals(3, report.recommendedSize(), "with three numbers every visit's number rests 9 h or more");
        assertTrue(report.targetReachable());
        PoolSizing.SizeOption recommended = report.options().get(report.options().size() - 1);
        assertEquals("recommended", recommended.label());
        assertTrue(recommended.expectedAccuracy() >= 0.99);
        report.options().forEach(o -> assertEquals(o.expectedAccuracy(), o.lowerBound(), 1e-12,
                "configured defaults have no sampling error to bound: " + o.label()));
    }

    @Test
    void aLateCallWindowShorterThanTheDelaysMakesTheTargetUnreachable() {
        List<Visit> visits = List.of(visit("A", 0, 1), visit("B", 5, 6));
        PoolSizing.Report report = PoolSizing.compute(new PoolSizing.Inputs(2, Duration.ofMinutes(10), Duration.ofHours(3),
                at(0), at(10), visits, delays(), 0.5, 0.99));
        assertFalse(report.targetReachable(), "calls after 3 h are never attributed: half the late ones");
        assertEquals(0.75, report.expectedAccuracy(), 1e-6);
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
