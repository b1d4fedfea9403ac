package io.calltrack.session;

import io.calltrack.bench.BenchSupport;
import io.calltrack.support.Browsers;
import io.calltrack.support.CustomerSite;
import io.calltrack.support.SwapTiming;
import org.openqa.selenium.chrome.ChromeDriver;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * What a visitor sees of the number-swap script, in real headless Chromium against the packaged service on
 * loopback (embedded PostgreSQL and Redis, the shipped number-pool.yaml), the page embedding the script as the
 * README says (async script and preconnect hint in the head). Each first view runs in a fresh browser profile
 * (no stored visit, no open connection); the repeat view follows in the same browser. The service is warmed
 * up first with plain HTTP visits, as a live one is. The baseline, measured
 * in the same page: one plain GET round trip from the page to the same service.
 * <pre>java -cp ... io.calltrack.session.SnippetSpeedBench VIEWS</pre>
 */
public final class SnippetSpeedBench {

    private static final int PORT = 18183;
    private static final int WARM_UP_VISITS = 5_000;

    public static void main(String[] args) throws Exception {
        int views = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Path dir = Files.createTempDirectory("calltrack-snippet-bench");
        ProcessBuilder pb = new ProcessBuilder("java", "-Dcalltrack.limits.new-leases-per-ip-per-minute=0",
                "-Dcalltrack.limits.new-leases-per-visitor-per-minute=0", "-Dcalltrack.limits.held-share=0",
                "-jar", "target/quarkus-app/quarkus-run.jar")
                .redirectErrorStream(true).redirectOutput(dir.resolve("app.log").toFile());
        pb.environment().remove("CALLTRACK_DB_URL");
        pb.environment().remove("CALLTRACK_REDIS_URL");
        pb.environment().put("CALLTRACK_DATA_DIR", dir.resolve("data").toString());
        pb.environment().put("PORT", String.valueOf(PORT));
        pb.environment().put("CALLTRACK_ADMIN_KEY", "snippet-bench-admin-key-0123456789");
        Process service = pb.start();
        String api = "http://localhost:" + PORT;
        try (CustomerSite site = new CustomerSite(api + "/s/demo.js")) {
            HttpClient http = HttpClient.newHttpClient();
            BenchSupport.awaitReady(http, api, service, dir.resolve("app.log"));
            warmUp(http, api);
            List<double[]> rows = new ArrayList<>(); // first view, repeat view, baseline round trip
            for (int i = 0; i < views + 3; i++) {
                ChromeDriver browser = Browsers.start();
                try {
                    SwapTiming first = SwapTiming.view(browser, site);
                    SwapTiming repeat = SwapTiming.view(browser, site);
                    double roundTrip = SwapTiming.roundTrip(browser, api);
                    if (i >= 3) { // the first three warm the service and the browser's caches up
                        rows.add(new double[]{first.afterScript(), first.beforeRequest(), first.inRequest(),
                                repeat.afterScript(), roundTrip});
                    }
                } finally {
                    browser.quit();
                }
            }
            System.out.printf(Locale.ROOT, "snippet swap in Chromium, loopback, %d first views (fresh profile each):%n", views);
            line("baseline: one GET round trip page -> service", rows, r -> r[4]);
            line("first view: swap after the script arrived", rows, r -> r[0]);
            line("  of which before the session request starts", rows, r -> r[1]);
            line("  of which in the session request", rows, r -> r[2]);
            line("repeat view: swap after the script arrived", rows, r -> r[3]);
            double[] first = rows.stream().mapToDouble(r -> r[0]).sorted().toArray();
            System.out.printf(Locale.ROOT, "  first view p90 %.1f ms (target: <= 100 ms after the script arrives)%n",
                    first[Math.min(first.length - 1, (int) Math.ceil(0.9 * first.length) - 1)]);
        } finally {
            service.destroy();
            service.waitFor();
            BenchSupport.deleteTree(dir);
        }
    }

    /**
     * A live service has run the session path millions of times; a fresh JVM has not compiled it yet. Visits
     * and pings from a plain HTTP client first, so the browser's views meet compiled code, as on a live service.
     */
    private static void warmUp(HttpClient http, String api) throws Exception {
        for (int i = 0; i < WARM_UP_VISITS; i++) {
            String body = "{\"siteKey\":\"demo\",\"visitorId\":\"warmup" + (100000 + i) + "abcdefghij\",\"url\":"
                    + "\"http://127.0.0.1/?utm_source=google&utm_medium=cpc&utm_term=w" + i + "\",\"referrer\":\"\"}";
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(api + "/v1/sessions"))
                    .header("Content-Type", "text/plain").header("Origin", "http://127.0.0.1").header("User-Agent", Browsers.DESKTOP_CHROME)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            String session = r.body().replaceAll("(?s).*\"sessionId\":\"([^\"]+)\".*", "$1");
            http.send(HttpRequest.newBuilder(URI.create(api + "/v1/sessions/" + session + "/ping"))
                    .header("Origin", "http://127.0.0.1").POST(HttpRequest.BodyPublishers.ofString("")).build(),
                    HttpResponse.BodyHandlers.discarding());
        }
    }

    private static void line(String label, List<double[]> rows, ToDoubleFunction<double[]> f) {
        double[] v = rows.stream().mapToDouble(f).sorted().toArray();
        System.out.printf(Locale.ROOT, "  %-48s median %6.1f ms   p90 %6.1f ms   max %6.1f ms%n", label,
                v[v.length / 2], v[Math.min(v.length - 1, (int) Math.ceil(0.9 * v.length) - 1)], Arrays.stream(v).max().orElse(0));
    }
}
