package io.calltrack.pool.sizing;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The call probability's calibration and the fit's tail, on the model alone (no service): the synthetic site of
 * {@link DelayFitTest} served by least-recently-released pools of the accuracy bench's sizes, each pool's delays
 * fitted from its last three days as the service fits them, then every call's probability against the truth. Beside
 * each pool: where its curve stops being measured, the share of late calls the fit puts beyond that (assumed) and
 * the site's true share beyond it. A few seconds a run, where {@code bench/accuracy} takes twenty minutes: for
 * telling the fit's part of a miscalibration from the rest. Each pool's recommended size is served the same stream
 * too, and the accuracy it reaches is printed beside it, with the mean over the streams at the end.
 * <p>
 * args: [seeds [first seed]]; {@code -Dtruthdefaults=true} gives the fit the site's own delays as its defaults (the shape it
 * assumes beyond what it measures), instead of the shipped ones.
 */
public final class CalibrationBench {

    private static final int[] SIZES = {144, 979, 1958, 2369, 14496};

    private CalibrationBench() {
    }

    public static void main(String[] args) {
        int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        long first = args.length > 1 ? Long.parseLong(args[1]) : 2;
        System.out.printf(Locale.ROOT, "Calibration on the model: %d stream(s) of 6 days, 120 visits an hour (daily swing 60%%), 30%% of "
                        + "visits calling, 40%% of them during the visit, the rest after it (median 10 min, p90 2 h, p99 24 h, none past 72 h); "
                        + "hold 30 min, late-call window 72 h; defaults: %s%n", seeds,
                Boolean.getBoolean("truthdefaults") ? "the site's own delays" : "the shipped ones (p50 30 min, p90 6 h, p99 24 h)");
        double[][] pooled = new double[10][3];
        double[] recommendedTruth = new double[SIZES.length];
        double[] recommendedSize = new double[SIZES.length];
        for (long seed = first; seed < first + seeds; seed++) {
            SyntheticSite.Stream s = SyntheticSite.generate(DelayFitTest.SITE, seed);
            for (int p = 0; p < SIZES.length; p++) {
                int size = SIZES[p];
                DelayFitTest.Outcome o = DelayFitTest.run(s, size);
                FittedDelays fit = o.fit();
                Duration horizon = fit.measuredUpTo();
                double trueBeyond = 1 - DelayFitTest.truthCdf(horizon);
                int recommended = o.report().recommendedSize();
                double reached = DelayFitTest.truthAt(s, recommended);
                recommendedTruth[p] += reached / seeds;
                recommendedSize[p] += recommended / (double) seeds;
                System.out.printf(Locale.ROOT, "  %5d numbers: right %.2f%%, estimate %.2f%%; measured to %s, beyond it: fit %.1f%%, truth %.1f%% of late calls;"
                                + " recommends %d, which reach %.2f%%%n",
                        size, 100 * o.truth(), 100 * o.report().expectedAccuracy(), horizon, 100 * fit.assumedShare(), 100 * trueBeyond,
                        recommended, 100 * reached);
                FittedDelays odds = o.odds();
                double[][] b = DelayFitTest.calibration(s, size, new CallOdds(odds, odds.afterShare(), DelayFitTest.PING.toMillis()));
                StringBuilder line = new StringBuilder("      bands (calls, mean p, right):");
                for (int i = 0; i < 10; i++) {
                    for (int j = 0; j < 3; j++) {
                        pooled[i][j] += b[i][j];
                    }
                    if (b[i][0] >= 30) {
                        line.append(String.format(Locale.ROOT, " %.1f: %d, %.3f, %.3f;", i / 10.0, (int) b[i][0], b[i][2] / b[i][0], b[i][1] / b[i][0]));
                    }
                }
                System.out.println(line);
            }
        }
        System.out.println("  the recommended sizes, mean over the streams (the target is 99%):");
        for (int p = 0; p < SIZES.length - 1; p++) {
            System.out.printf(Locale.ROOT, "    from a week at %5d numbers: %.0f numbers, reaching %.2f%%%n", SIZES[p],
                    recommendedSize[p], 100 * recommendedTruth[p]);
        }
        System.out.println("  every pool's calls by probability band:");
        for (int i = 0; i < 10; i++) {
            if (pooled[i][0] > 0) {
                System.out.printf(Locale.ROOT, "    %.1f-%.1f: %,6d calls, mean p %.3f, right %.3f (%+.1f points)%s%n", i / 10.0, (i + 1) / 10.0,
                        (int) pooled[i][0], pooled[i][2] / pooled[i][0], pooled[i][1] / pooled[i][0],
                        100 * (pooled[i][1] - pooled[i][2]) / pooled[i][0], pooled[i][0] >= 100 ? "" : " (under 100 calls)");
            }
        }
    }
}
