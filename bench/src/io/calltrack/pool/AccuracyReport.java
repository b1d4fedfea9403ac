package io.calltrack.pool;

import com.fasterxml.jackson.databind.JsonNode;
import io.calltrack.pool.AccuracyBench.Arm;
import io.calltrack.pool.AccuracyBench.Settings;
import io.calltrack.pool.sizing.SyntheticSite;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The accuracy bench's figures: per pool, calibration, the models, the targets, and the chart. */
final class AccuracyReport {

    private AccuracyReport() {
    }

    record Scored(int calls, int right, int unattributed, Map<String, int[]> byConfidence, double[][] bands) {
        double accuracy() {
            return calls == 0 ? Double.NaN : (double) right / calls;
        }
    }

    static Scored score(SyntheticSite.Stream stream, long measuredUntil, Arm arm) {
        int[] dialled = SyntheticSite.dialled(stream);
        int calls = 0, right = 0, unattributed = 0;
        Map<String, int[]> byConfidence = new TreeMap<>();
        double[][] bands = new double[10][4];
        for (int k = 0; k < dialled.length; k++) {
            // accuracy: the calls of the visits whose calls have all come; the probability's calibration and the
            // confidence bands: every call that rang, chosen by ring time. Chosen by their visit's start instead, a
            // late ring counts only when an old visit placed it, so only when the number's latest holder is wrong.
            boolean measured = stream.visits().get(stream.calls().get(k).visit()).start() < measuredUntil;
            JsonNode c = arm.calls.get(arm.label + "-" + k);
            JsonNode a = c == null ? null : c.path("attribution");
            String got = a == null || a.path("sessionId").isNull() ? null : a.path("sessionId").asText(null);
            boolean ok = got != null && got.equals(arm.session[dialled[k]]);
            if (measured) {
                calls++;
                right += ok ? 1 : 0;
                unattributed += got == null ? 1 : 0;
            }
            if (got == null) {
                continue;
            }
            int[] conf = byConfidence.computeIfAbsent(a.path("confidence").asText("?"), x -> new int[2]);
            conf[0]++;
            conf[1] += ok ? 1 : 0;
            double p = a.path("probability").asDouble(Double.NaN);
            if (!Double.isNaN(p)) {
                int band = Math.min(9, (int) (p * 10));
                bands[band][0]++;
                bands[band][1] += ok ? 1 : 0;
                bands[band][2] += p;
                bands[band][3] += p * (1 - p);
            }
        }
        return new Scored(calls, right, unattributed, byConfidence, bands);
    }

    static double model(SyntheticSite.Stream stream, int size, boolean leastRecentlyReleased, long measuredUntil) {
        SyntheticSite.Served served = SyntheticSite.serve(stream, size, AccuracyBench.HOLD, leastRecentlyReleased, 11);
        return SyntheticSite.accuracy(stream, served, size, AccuracyBench.LATE, measuredUntil);
    }

    static void print(Settings s, SyntheticSite.Stream stream, long measuredUntil, List<Arm> arms) throws Exception {
        System.out.println();
        System.out.println("| pool | numbers | calls | right visit | product's expectedAccuracy | LRU model | naive (random free number) "
                + "| HIGH: calls, right | MEDIUM | LOW | unattributed | product recommends | delay measured up to, assumed share |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---|---|---|---:|---:|---|");
        double[][] pooled = new double[10][4];
        List<double[]> points = new ArrayList<>();
        for (Arm a : arms) {
            Scored sc = score(stream, measuredUntil, a);
            double lru = model(stream, a.size, true, measuredUntil);
            double naive = model(stream, a.size, false, measuredUntil);
            double estimate = a.sizing.path("expectedAccuracy").asDouble(Double.NaN);
            JsonNode in = a.sizing.path("inputs");
            System.out.printf(Locale.ROOT, "| %s | %,d | %,d | %.2f%% | %.2f%% | %.2f%% | %.2f%% | %s | %s | %s | %d | %,d | %s, %.1f%% |%n",
                    a.label, a.size, sc.calls(), 100 * sc.accuracy(), 100 * estimate, 100 * lru, 100 * naive,
                    conf(sc, "HIGH"), conf(sc, "MEDIUM"), conf(sc, "LOW"), sc.unattributed(),
                    a.sizing.path("recommendedSize").asInt(), simulated(s, in.path("delayMeasuredUpTo").asText("-")),
                    100 * in.path("delayAssumedShare").asDouble(Double.NaN));
            if (a.late.get() > 0) {
                System.out.printf(Locale.ROOT, "  %s: %d calls waited for their visit's session answer%n", a.label, a.late.get());
            }
            if (a.failures.get() > 0) {
                System.out.printf(Locale.ROOT, "  %s: %d requests failed%n", a.label, a.failures.get());
            }
            StringBuilder bands = new StringBuilder();
            for (int b = 0; b < 10; b++) {
                for (int j = 0; j < 4; j++) {
                    pooled[b][j] += sc.bands()[b][j];
                }
                double[] band = sc.bands()[b];
                if (band[0] >= 30) {
                    bands.append(String.format(Locale.ROOT, " %.1f: %,d, %.3f, %.3f;", b / 10.0, (int) band[0], band[2] / band[0], band[1] / band[0]));
                }
            }
            System.out.printf(Locale.ROOT, "  %s: probability bands of 30 calls or more (calls, mean p, right):%s%n", a.label, bands);
            points.add(new double[]{a.size, sc.accuracy(), estimate});
            a.score = sc;
        }
        System.out.println();
        System.out.println("Calibration, every pool's calls together: calls given a probability in each band, and how many were right");
        // a band of n calls that is exactly calibrated still misses its mean by the binomial sampling error: its gap
        // has standard deviation sqrt(sum p(1-p)) / n (4.6 points for 120 calls near 0.5)
        System.out.println("| probability | calls | mean probability | right | gap (points) | 95% of a calibrated band's gaps within "
                + "| chance a calibrated band misses 3 points |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        double worst = 0;
        for (int b = 0; b < 10; b++) {
            if (pooled[b][0] > 0) {
                double mean = pooled[b][2] / pooled[b][0], right = pooled[b][1] / pooled[b][0];
                boolean counted = pooled[b][0] >= 100;
                double sd = Math.sqrt(pooled[b][3]) / pooled[b][0];
                System.out.printf(Locale.ROOT, "| %.1f-%.1f | %,.0f | %.3f | %.3f | %+.1f%s | ±%.1f | %.0f%% |%n", b / 10.0, (b + 1) / 10.0,
                        pooled[b][0], mean, right, 100 * (right - mean), counted && Math.abs(right - mean) > 0.03 ? " (over 3)" : "",
                        196 * sd, 100 * beyond(0.03, sd));
                worst = counted ? Math.max(worst, Math.abs(right - mean)) : worst;
            }
        }
        targets(arms);
        System.out.printf(Locale.ROOT, "target: calibration within 3 points in every band of 100 calls or more: at most %.1f points -> %s%n",
                100 * worst, worst <= 0.03 ? "met" : "missed");
        chart(stream, measuredUntil, points);
    }

    /** P(|X| > x) for X normal with mean 0 and this standard deviation (erfc by Abramowitz and Stegun 7.1.26). */
    static double beyond(double x, double sd) {
        if (sd <= 0) {
            return 0;
        }
        double z = x / sd / Math.sqrt(2);
        double t = 1 / (1 + 0.3275911 * z);
        double erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-z * z);
        return erfc;
    }

    private static String conf(Scored sc, String band) {
        int[] c = sc.byConfidence().get(band);
        return c == null ? "0" : String.format(Locale.ROOT, "%,d, %.2f%%", c[0], 100.0 * c[1] / c[0]);
    }

    /** A real-time duration from the service as the simulated time it stands for. */
    private static String simulated(Settings s, String iso) {
        if (iso.equals("-") || iso.equals("null")) {
            return "-";
        }
        double hours = java.time.Duration.parse(iso).toMillis() * s.scale() / 3_600_000.0;
        return String.format(Locale.ROOT, "%.1f h", hours);
    }

    private static void targets(List<Arm> arms) {
        System.out.println();
        // the last recommendation followed: after a second week at the first one when the run had one
        Arm rec = arms.stream().filter(a -> a.label.startsWith("recommended")).reduce((a, b) -> b).orElseThrow();
        System.out.printf(Locale.ROOT, "target: >= 99%% right at the recommended size (%s, %,d): %.2f%% -> %s%n", rec.label, rec.size,
                100 * rec.score.accuracy(), rec.score.accuracy() >= 0.99 ? "met" : "missed");
        for (Arm a : arms) {
            double gap = a.sizing.path("expectedAccuracy").asDouble(Double.NaN) - a.score.accuracy();
            System.out.printf(Locale.ROOT, "target: expectedAccuracy within 1 point, %s: %+.2f points -> %s%n", a.label, 100 * gap,
                    Math.abs(gap) <= 0.01 ? "met" : "missed");
        }
        int[] high = rec.score.byConfidence().getOrDefault("HIGH", new int[2]);
        double share = high[0] == 0 ? Double.NaN : (double) high[1] / high[0];
        System.out.printf(Locale.ROOT, "target: HIGH >= 99.5%% right at the recommended size: %.2f%% of %,d -> %s%n", 100 * share, high[0],
                share >= 0.995 ? "met" : "missed");
    }

    /** Pool size (log scale) against accuracy: the LRU model and the naive one as lines, the service and its estimate as marks. */
    private static void chart(SyntheticSite.Stream stream, long measuredUntil, List<double[]> points) throws Exception {
        int w = 900, h = 560, left = 80, right = 30, top = 50, bottom = 70;
        double minSize = 10, maxSize = stream.visits().size() * 1.2, minAcc = 0.5, maxAcc = 1.0;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        java.util.function.DoubleUnaryOperator x = v -> left + (Math.log(v) - Math.log(minSize)) / (Math.log(maxSize) - Math.log(minSize)) * (w - left - right);
        java.util.function.DoubleUnaryOperator y = v -> top + (maxAcc - v) / (maxAcc - minAcc) * (h - top - bottom);
        g.setColor(new Color(230, 230, 230));
        for (double a = 0.5; a <= 1.0001; a += 0.05) {
            g.drawLine(left, (int) y.applyAsDouble(a), w - right, (int) y.applyAsDouble(a));
        }
        g.setColor(Color.DARK_GRAY);
        for (double a = 0.5; a <= 1.0001; a += 0.1) {
            g.drawString(String.format(Locale.ROOT, "%.0f%%", a * 100), 30, (int) y.applyAsDouble(a) + 5);
        }
        for (double v = 10; v <= maxSize; v *= 10) {
            g.drawString(String.format(Locale.ROOT, "%,.0f", v), (int) x.applyAsDouble(v) - 10, h - bottom + 20);
        }
        g.drawString("pool size (numbers, log scale)", w / 2 - 90, h - 25);
        g.drawString("share of calls on the right visit", left, 30);
        List<double[]> lru = new ArrayList<>(), naive = new ArrayList<>();
        for (double size = minSize; size <= maxSize; size *= 1.35) {
            lru.add(new double[]{size, model(stream, (int) size, true, measuredUntil)});
            naive.add(new double[]{size, model(stream, (int) size, false, measuredUntil)});
        }
        line(g, lru, x, y, new Color(30, 110, 200), false);
        line(g, naive, x, y, new Color(150, 150, 150), true);
        for (double[] p : points) {
            int px = (int) x.applyAsDouble(p[0]);
            g.setColor(new Color(20, 140, 60));
            g.fillOval(px - 6, (int) y.applyAsDouble(p[1]) - 6, 12, 12);
            g.setColor(new Color(200, 60, 40));
            g.setStroke(new BasicStroke(2));
            int ey = (int) y.applyAsDouble(p[2]);
            g.drawLine(px - 7, ey - 7, px + 7, ey + 7);
            g.drawLine(px - 7, ey + 7, px + 7, ey - 7);
        }
        int ly = h - bottom - 80;
        legend(g, w - 330, ly, new Color(30, 110, 200), "least recently released (model)");
        legend(g, w - 330, ly + 20, new Color(150, 150, 150), "random free number (naive, model)");
        legend(g, w - 330, ly + 40, new Color(20, 140, 60), "measured on the service (dot)");
        legend(g, w - 330, ly + 60, new Color(200, 60, 40), "product's expectedAccuracy (cross)");
        Path out = Path.of("target/bench/accuracy.png");
        Files.createDirectories(out.getParent());
        ImageIO.write(img, "png", out.toFile());
        System.out.println("chart: " + out.toAbsolutePath());
    }

    private static void line(Graphics2D g, List<double[]> pts, java.util.function.DoubleUnaryOperator x,
                             java.util.function.DoubleUnaryOperator y, Color c, boolean dashed) {
        g.setColor(c);
        g.setStroke(dashed ? new BasicStroke(2, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1, new float[]{6, 5}, 0) : new BasicStroke(2));
        for (int i = 1; i < pts.size(); i++) {
            g.drawLine((int) x.applyAsDouble(pts.get(i - 1)[0]), (int) y.applyAsDouble(Math.max(0.5, pts.get(i - 1)[1])),
                    (int) x.applyAsDouble(pts.get(i)[0]), (int) y.applyAsDouble(Math.max(0.5, pts.get(i)[1])));
        }
        g.setStroke(new BasicStroke(1));
    }

    private static void legend(Graphics2D g, int x, int y, Color c, String text) {
        g.setColor(c);
        g.fillRect(x, y - 9, 14, 10);
        g.setColor(Color.DARK_GRAY);
        g.drawString(text, x + 20, y);
    }
}
