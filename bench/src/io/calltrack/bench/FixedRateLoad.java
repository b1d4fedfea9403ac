package io.calltrack.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends POST /v1/sessions at a fixed rate (an open model, unlike wrk's closed loop) and reports latency
 * from each request's scheduled start, so a stall shows up in the percentiles instead of slowing the load.
 */
public final class FixedRateLoad {

    public static void main(String[] args) throws Exception {
        String base = args[0];
        int rate = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        int total = rate * seconds;
        long[] latencies = new long[total];
        AtomicInteger errors = new AtomicInteger();
        List<CompletableFuture<Void>> inFlight = new ArrayList<>(total);
        long start = System.nanoTime();
        long interval = 1_000_000_000L / rate;
        for (int i = 0; i < total; i++) {
            long scheduled = start + i * interval;
            long wait = scheduled - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            int index = i;
            String body = "{\"siteKey\":\"bench\",\"visitorId\":\"fixedrate" + String.format("%012d", i)
                    + "\",\"url\":\"https://bench.example/?utm_source=google&utm_medium=cpc\"}";
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v1/sessions"))
                    .header("Content-Type", "text/plain").header("Origin", "http://localhost")
                    .header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(10)).build();
            inFlight.add(client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((r, e) -> {
                latencies[index] = System.nanoTime() - scheduled;
                if (e != null || r.statusCode() != 200) {
                    errors.incrementAndGet();
                }
                return null;
            }));
        }
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
        double elapsed = (System.nanoTime() - start) / 1e9;
        List<Long> sorted = new ArrayList<>(total);
        for (long l : latencies) {
            sorted.add(l);
        }
        Collections.sort(sorted);
        System.out.printf(Locale.ROOT, "  fixed rate %d req/s for %d s: achieved %.0f req/s, p50 %.2f ms, p99 %.2f ms, "
                        + "max %.2f ms, errors %d (target: p99 <= 20 ms)%n", rate, seconds, total / elapsed,
                sorted.get(total / 2) / 1e6, sorted.get((int) (total * 0.99)) / 1e6, sorted.get(total - 1) / 1e6, errors.get());
        System.exit(errors.get() == total ? 1 : 0);
    }
}
