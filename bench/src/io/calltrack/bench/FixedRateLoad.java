package io.calltrack.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends POST /v1/sessions at a fixed rate (an open model, unlike wrk's closed loop) and reports latency
 * from each request's scheduled start, so a stall shows up in the percentiles instead of slowing the load.
 */
public final class FixedRateLoad {

    private static final String UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        int rate = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        int warmup = rate * (args.length > 3 ? Integer.parseInt(args[3]) : 0); // requests sent, not counted
        int total = rate * seconds;
        long[] all = new long[warmup + total];
        AtomicInteger errors = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(warmup + total);
        Vertx vertx = Vertx.vertx();
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(256));
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(base.getHost())
                .setPort(base.getPort()).setURI("/v1/sessions")
                .putHeader("Content-Type", "text/plain").putHeader("Origin", "http://localhost").putHeader("User-Agent", UA);
        long start = System.nanoTime();
        long interval = 1_000_000_000L / rate;
        int[] sent = {0};
        vertx.setPeriodic(1, timer -> {
            long now = System.nanoTime();
            while (sent[0] < warmup + total && start + sent[0] * interval <= now) {
                int i = sent[0]++;
                long scheduled = start + i * interval;
                Buffer body = Buffer.buffer("{\"siteKey\":\"bench\",\"visitorId\":\"fixedrate" + String.format("%012d", i)
                        + "\",\"url\":\"https://bench.example/?utm_source=google&utm_medium=cpc\"}");
                client.request(options).compose(req -> req.send(body)).compose(resp -> {
                    if (resp.statusCode() != 200 && i >= warmup) {
                        errors.incrementAndGet();
                    }
                    return resp.body();
                }).onComplete(r -> {
                    if (r.failed() && i >= warmup) {
                        errors.incrementAndGet();
                    }
                    all[i] = System.nanoTime() - scheduled;
                    done.countDown();
                });
            }
            if (sent[0] >= warmup + total) {
                vertx.cancelTimer(timer);
            }
        });
        boolean finished = done.await(seconds + warmup / rate + 30L, TimeUnit.SECONDS);
        double elapsed = (System.nanoTime() - start) / 1e9 - (double) warmup / rate;
        long[] latencies = Arrays.copyOfRange(all, warmup, warmup + total);
        if (System.getenv("BENCH_TRACE") != null) {
            for (int i = 0; i < total; i += rate / 10) {
                long worst = 0;
                for (int j = i; j < Math.min(total, i + rate / 10); j++) {
                    worst = Math.max(worst, latencies[j]);
                }
                System.out.printf(Locale.ROOT, "    t=%5.1fs worst %.1f ms%n", (double) i / rate, worst / 1e6);
            }
        }
        Arrays.sort(latencies);
        System.out.printf(Locale.ROOT, "  fixed rate %d req/s for %d s: achieved %.0f req/s, p50 %.2f ms, p99 %.2f ms, "
                        + "max %.2f ms, errors %d%s (target: p99 <= 20 ms)%n", rate, seconds, total / elapsed,
                latencies[total / 2] / 1e6, latencies[(int) (total * 0.99)] / 1e6, latencies[total - 1] / 1e6, errors.get(),
                finished ? "" : ", did not finish");
        vertx.close();
        System.exit(finished ? 0 : 1);
    }
}
