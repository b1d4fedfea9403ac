package io.calltrack.faults;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Visits and call events at a fixed rate against the service, remembering what it acknowledged: a visit
 * whose answer carried a session id, a call event answered 200. Each answer is kept with its time and
 * latency, so a drill can count statuses and latency inside its fault window.
 */
final class Load implements AutoCloseable {

    record Sample(String kind, long startNanos, long latencyNanos, int status, boolean retryAfter, boolean acked) {
    }

    private static final Pattern SESSION = Pattern.compile("\"sessionId\":\"([^\"]+)\"");
    static final String UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";

    private final HttpClient http;
    private final String api;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    final Set<String> ackedVisits = ConcurrentHashMap.newKeySet();
    final Set<String> ackedCalls = ConcurrentHashMap.newKeySet();
    final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();

    Load(HttpClient http, String api) {
        this.http = http;
        this.api = api;
    }

    /** Starts sending visitsPerSecond visits and callsPerSecond calls (start event, then end 1 s later). */
    void start(int visitsPerSecond, int callsPerSecond) {
        if (visitsPerSecond > 0) {
            timer.scheduleAtFixedRate(this::visit, 0, 1_000_000 / visitsPerSecond, TimeUnit.MICROSECONDS);
        }
        if (callsPerSecond > 0) {
            timer.scheduleAtFixedRate(this::call, 0, 1_000_000 / callsPerSecond, TimeUnit.MICROSECONDS);
        }
    }

    private void visit() {
        String body = "{\"siteKey\":\"drill\",\"visitorId\":\"" + UUID.randomUUID().toString().replace("-", "")
                + "\",\"url\":\"https://drill.example/?utm_source=drill&utm_medium=cpc\"}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(api + "/v1/sessions")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "text/plain").header("User-Agent", UA).header("Origin", "https://drill.example")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        send("visit", request, r -> {
            Matcher m = SESSION.matcher(r.body());
            if (r.statusCode() == 200 && m.find()) {
                ackedVisits.add(m.group(1));
                return true;
            }
            return false;
        });
    }

    private void call() {
        String id = UUID.randomUUID().toString();
        String did = "+1646700" + String.format("%04d", (int) (Math.random() * 10_000));
        send("call", event(id, "start", ",\"did\":\"" + did + "\",\"caller\":\"+12125550199\""), r -> {
            if (r.statusCode() != 200) {
                return false;
            }
            ackedCalls.add(id);
            if (!timer.isShutdown()) {
                timer.schedule(() -> send("call-end", event(id, "end", ""), x -> x.statusCode() == 200), 1, TimeUnit.SECONDS);
            }
            return true;
        });
    }

    private HttpRequest event(String id, String type, String extra) {
        return HttpRequest.newBuilder(URI.create(api + "/v1/calls/events")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + ServiceProcess.ADMIN_KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{\"source\":\"drill\",\"externalId\":\"" + id + "\",\"type\":\""
                        + type + "\"" + extra + "}")).build();
    }

    private void send(String kind, HttpRequest request, java.util.function.Predicate<HttpResponse<String>> then) {
        long start = System.nanoTime();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
            long latency = System.nanoTime() - start;
            if (r == null) {
                samples.add(new Sample(kind, start, latency, 0, false, false)); // refused or timed out: the service is down
            } else {
                boolean acked = then.test(r);
                samples.add(new Sample(kind, start, latency, r.statusCode(), r.headers().firstValue("Retry-After").isPresent(), acked));
            }
        });
    }

    /** The p99 latency in ms of the answered samples that started inside [from, to). */
    double p99Ms(long from, long to) {
        List<Long> l = new ArrayList<>();
        for (Sample s : samples) {
            if (s.status() > 0 && s.startNanos() >= from && s.startNanos() < to) {
                l.add(s.latencyNanos());
            }
        }
        if (l.isEmpty()) {
            return Double.NaN;
        }
        l.sort(null);
        return l.get(Math.min(l.size() - 1, (int) Math.ceil(0.99 * l.size()) - 1)) / 1e6;
    }

    /** 500-599 answers other than a 503 that says when to come back: the errors the service must never give. */
    long serverErrors() {
        return samples.stream().filter(s -> s.status() >= 500 && !(s.status() == 503 && s.retryAfter())).count();
    }

    /** When the first visit that started at or after {@code from} was acknowledged (nanos), or -1. */
    long firstAckedVisit(long from) {
        return samples.stream().filter(s -> s.kind().equals("visit") && s.acked() && s.startNanos() >= from)
                .mapToLong(Sample::startNanos).min().orElse(-1);
    }

    long unavailable() {
        return samples.stream().filter(s -> s.status() == 503 && s.retryAfter()).count();
    }

    @Override
    public void close() throws InterruptedException {
        timer.shutdownNow();
        timer.awaitTermination(5, TimeUnit.SECONDS);
    }
}
