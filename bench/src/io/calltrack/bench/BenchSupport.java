package io.calltrack.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** What the benchmarks that read the API share. */
public final class BenchSupport {

    private BenchSupport() {
    }

    /** GET with an API key, body as text. */
    public static HttpResponse<String> get(HttpClient http, String url, String key, Duration timeout) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).header("Authorization", "Bearer " + key).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The q-quantile of sorted nanosecond samples, in milliseconds (nearest rank). */
    public static double percentileMs(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }
}
