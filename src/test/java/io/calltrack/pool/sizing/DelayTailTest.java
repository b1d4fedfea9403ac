package io.calltrack.pool.sizing;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The power-law tail a call's probability uses past the measured bins, and the fit of its slope. */
class DelayTailTest {

    @Test
    void aPowerTailsSharesAddUpAndMatchItsDensity() {
        for (double slope : new double[]{0, 0.5, 1, 1.5, 3, 6}) {
            DelayTail.Power t = new DelayTail.Power(60_000, 259_200_000, slope);
            assertEquals(1, t.share(60_000, 259_200_000), 1e-9, "slope " + slope);
            assertEquals(t.share(60_000, 3_600_000), t.share(60_000, 600_000) + t.share(600_000, 3_600_000), 1e-12);
            assertEquals(0, t.share(259_200_000, 400_000_000), 1e-12, "nothing past the window's longest delay");
            // the density integrates to the share (midpoint rule on a log grid)
            double sum = 0;
            for (double x = 600_000; x < 3_600_000; x *= 1.001) {
                sum += t.density(x * Math.sqrt(1.001)) * x * 0.001;
            }
            assertEquals(t.share(600_000, 3_600_000), sum, 1e-4 + 1e-3 * sum, "slope " + slope);
        }
    }

    /** Calls spread as a power law over bins some of which were exposed less: the fit finds the slope. */
    @Test
    void theSlopeIsTheOneTheCallsFollow() {
        List<Double> e = new ArrayList<>();
        for (double x = 60_000; x < 259_200_000; x *= Math.pow(10, 1 / 6.0)) {
            e.add(x);
        }
        double[] edges = e.stream().mapToDouble(Double::doubleValue).toArray();
        int bins = edges.length - 1, measured = 4;
        for (double truth : new double[]{0.4, 1.2, 2.5}) {
            DelayTail.Power t = new DelayTail.Power(edges[measured], edges[bins], truth);
            double[] counts = new double[bins], exposure = new double[bins];
            for (int b = measured; b < bins; b++) {
                exposure[b] = (edges[b + 1] - edges[b]) * (b % 3 == 0 ? 500 : 2_000); // visits exposed per ms
                counts[b] = 40 * t.share(edges[b], edges[b + 1]) / (edges[b + 1] - edges[b]) * exposure[b];
            }
            assertEquals(truth, DelayFit.slope(t, counts, exposure, edges, measured), 0.01);
        }
    }
}
