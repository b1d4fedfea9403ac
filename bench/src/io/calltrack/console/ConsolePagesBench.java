package io.calltrack.console;

import io.calltrack.bench.BenchSupport;

import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Each console page's server time over a large call log: the API requests the page makes, sent at once with a
 * console session cookie as the page sends them, timed until the last answer. Baseline in the same run: the
 * cheapest signed-in request (GET /console/session: the cookie's Redis lookup, no SQL), what any page pays.
 * Run from the call-log bench, on its database.
 */
public final class ConsolePagesBench {

    private static final double TARGET_MS = 100;

    private ConsolePagesBench() {
    }

    public static void run(HttpClient http, String api, String adminKey, Connection db, String pool, int samples) throws Exception {
        long callId = settle(db);
        HttpResponse<String> signIn = http.send(HttpRequest.newBuilder(URI.create(api + "/console/session"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"" + adminKey + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (signIn.statusCode() != 200) {
            throw new IllegalStateException("console sign-in: " + signIn.statusCode() + " " + signIn.body());
        }
        String cookie = signIn.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String d30 = "from=" + today.minusDays(29) + "&to=" + today, week = today.minusDays(6) + "T00:00:00Z";
        Map<String, List<String>> pages = new LinkedHashMap<>();
        pages.put("(baseline) signed-in request, no SQL", List.of("/console/session"));
        pages.put("overview", List.of("/v1/reports/daily?" + d30 + "&groupBy=medium", "/v1/admin/pools", "/v1/admin/telephony",
                "/v1/webhooks"));
        pages.put("calls (last 7 days, 50 a page)", List.of("/v1/calls?from=" + week + "&limit=50"));
        pages.put("a call", List.of("/v1/calls/" + callId));
        // tables ask for the largest 100 channels (the rest summed), as the console does
        pages.put("channels (30 days)", List.of("/v1/reports/daily?" + d30 + "&groupBy=source&perDay=false&limit=100",
                "/v1/reports/daily?" + d30 + "&groupBy=medium", "/v1/spend/last?site=shop"));
        pages.put("channels by keyword (30 days)", List.of("/v1/reports/daily?" + d30 + "&groupBy=keyword&perDay=false&limit=100",
                "/v1/reports/daily?" + d30 + "&groupBy=medium", "/v1/spend/last?site=shop"));
        pages.put("channels in another time zone (30 days)", List.of("/v1/reports/daily?" + d30
                        + "&groupBy=source&perDay=false&limit=100&tz=Asia/Tokyo",
                "/v1/reports/daily?" + d30 + "&groupBy=medium", "/v1/spend/last?site=shop"));
        pages.put("channels by keyword in another time zone (30 days)", List.of("/v1/reports/daily?" + d30
                        + "&groupBy=keyword&perDay=false&limit=100&tz=Asia/Tokyo",
                "/v1/reports/daily?" + d30 + "&groupBy=medium", "/v1/spend/last?site=shop"));
        pages.put("funnel and people (30 days)", List.of("/v1/reports/daily?" + d30 + "&groupBy=source,medium&perDay=false&limit=100",
                "/v1/reports/operators?" + d30, "/v1/reports/lost?" + d30));
        pages.put("pools", List.of("/v1/admin/pools"));
        pages.put("a pool", List.of("/v1/admin/pools/" + pool, "/v1/admin/pools/" + pool + "/numbers", "/v1/admin/pools/" + pool + "/sizing"));
        pages.put("telephony", List.of("/v1/admin/telephony"));
        pages.put("settings", List.of("/v1/admin/keys", "/v1/webhooks", "/v1/admin/config"));

        System.out.printf(Locale.ROOT, "Console pages: each page's API requests at once with a session cookie, until the last answer; %d samples after %d warm-up%n",
                samples, Math.max(3, samples / 5));
        System.out.printf(Locale.ROOT, "  %-56s %8s | %7s %7s %7s%n", "page", "requests", "p50 ms", "p95 ms", "max ms");
        int missed = 0;
        for (Map.Entry<String, List<String>> page : pages.entrySet()) {
            for (int i = 0; i < Math.max(3, samples / 5); i++) {
                time(http, api, cookie, page.getValue());
            }
            long[] ns = new long[samples];
            for (int i = 0; i < samples; i++) {
                ns[i] = time(http, api, cookie, page.getValue());
            }
            Arrays.sort(ns);
            double p95 = BenchSupport.percentileMs(ns, 0.95);
            boolean over = p95 > TARGET_MS;
            missed += over ? 1 : 0;
            System.out.printf(Locale.ROOT, "  %-56s %8d | %7.1f %7.1f %7.1f%s%n", page.getKey(), page.getValue().size(),
                    BenchSupport.percentileMs(ns, 0.5), p95, ns[ns.length - 1] / 1e6, over ? "  > target" : "");
        }
        System.out.printf(Locale.ROOT, "  every page p95 <= %.0f ms (target): %s%n", TARGET_MS, missed == 0 ? "yes" : "NO, " + missed + " missed");
    }

    /**
     * The generated calls carry past change times, which the service's daily pass does not look back to: ask it to
     * rebuild every day, and wait until the daily table holds every call. Returns the newest call's id.
     */
    private static long settle(Connection db) throws Exception {
        try (Statement st = db.createStatement()) {
            st.execute("UPDATE report_days_state SET pending_from = '-infinity'");
            long calls = scalar(st, "SELECT count(*) FROM calls");
            long t0 = System.nanoTime();
            while (scalar(st, "SELECT coalesce(sum(calls), 0) FROM report_days") != calls
                    || scalar(st, "SELECT count(*) FROM report_days_state WHERE pending_from = '-infinity'") > 0) {
                if (System.nanoTime() - t0 > 600e9) {
                    throw new IllegalStateException("the daily table did not take in the " + calls + " calls in 10 minutes");
                }
                Thread.sleep(1000);
            }
            System.out.printf(Locale.ROOT, "  daily table rebuilt for %,d calls in %.0f s (the service's background pass), %,d rows%n",
                    calls, (System.nanoTime() - t0) / 1e9, scalar(st, "SELECT count(*) FROM report_days"));
            return scalar(st, "SELECT max(id) FROM calls");
        }
    }

    private static long scalar(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long time(HttpClient http, String api, String cookie, List<String> paths) throws Exception {
        long t0 = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        for (String p : paths) {
            all.add(http.sendAsync(HttpRequest.newBuilder(URI.create(api + p)).header("Cookie", cookie).timeout(Duration.ofSeconds(60))
                    .GET().build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> f : all) {
            HttpResponse<String> r = f.get();
            if (r.statusCode() != 200) {
                throw new IllegalStateException(r.uri() + ": " + r.statusCode() + " " + r.body());
            }
        }
        return System.nanoTime() - t0;
    }
}
