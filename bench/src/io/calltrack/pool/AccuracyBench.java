package io.calltrack.pool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.bench.BenchSupport;
import io.calltrack.pool.sizing.SyntheticSite;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How often a call lands on the right visit, measured on the packaged service: a simulated site's visitors
 * start sessions and ping over HTTP as the script does, and call the number they saw last through the call-event
 * API, in compressed time (every duration of the config and of the simulation divided by the scale). The same
 * visitor stream is served by pools of four sizes: one number per 20 daily visitors (the rule of thumb), a number
 * per visit, then the size the product recommends from the rule-of-thumb pool's data, and half of it. Each call is
 * scored against the caller's latest visit; the product's own expected accuracy and each call's probability are
 * set against that truth. A least-recently-released model and a random-free-number one (the naive baseline) are
 * run in the bench on the same stream over a range of sizes for the chart.
 *
 * <p>args: [--smoke] (a short run for CI)
 */
public final class AccuracyBench {

    private static final String ADMIN_KEY = "ct_bench_accuracy_admin_key_0123456789";
    private static final int PORT = 18191;
    private static final String API = "http://127.0.0.1:" + PORT;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final String PRINTED = "+74951000000";
    /** When a call's probability is scored again: the service's shipped setting, read from its configuration. */
    private static final List<Duration> REVISE_AFTER = BenchSupport.shippedDurations("calltrack.attribution.revise-after");
    /** How often the service looks for calls due a revision, in simulated time. */
    private static final Duration REVISE_EVERY = Duration.ofMinutes(10);

    /** Simulated durations of the config and of the site; divided by the scale for the running service. */
    static final Duration HOLD = Duration.ofMinutes(30);
    static final Duration LATE = Duration.ofHours(72);
    static final Duration PING = Duration.ofSeconds(30);
    private static Latency PING_LATENCY = new Latency(), SESSION_LATENCY = new Latency();

    record Settings(double scale, double hours, double rate, boolean smoke) {
        long real(long simMs) {
            return Math.round(simMs / scale);
        }

        Duration real(Duration sim) {
            return Duration.ofNanos(Math.round(sim.toNanos() / scale));
        }

        /** The script's 30 s, scaled; the smoke run's scale would make that 5 ms, so it pings every 20 ms instead. */
        Duration ping() {
            Duration p = real(PING);
            return smoke ? Duration.ofMillis(Math.max(20, p.toMillis())) : p;
        }
    }

    /** One pool the stream is served by, and what became of every visit and call on it. */
    static final class Arm {
        final String label;
        final String site;
        final int size;
        final String[] session;
        final String[] number;
        final AtomicInteger failures = new AtomicInteger();
        /** calls due before their visit's session answer came: placed when it comes (nobody dials a number unseen) */
        final Map<Integer, List<Runnable>> waiting = new HashMap<>();
        /** per visitor, the number they saw last: what the script sends as "previous" */
        final Map<Integer, String> lastNumber = new ConcurrentHashMap<>();
        final AtomicInteger late = new AtomicInteger();
        JsonNode sizing;
        Map<String, JsonNode> calls = new HashMap<>();
        AccuracyReport.Scored score;

        Arm(String label, int size, int visits) {
            this.label = label;
            this.site = "acc-" + label;
            this.size = size;
            this.session = new String[visits];
            this.number = new String[visits];
        }
    }

    public static void main(String[] args) throws Exception {
        boolean smoke = args.length > 0 && args[0].equals("--smoke");
        Settings s = smoke ? new Settings(6000, 84, 60, true) : new Settings(1000, 120, 120, false);
        SyntheticSite.Params params = new SyntheticSite.Params(s.rate(), 0.6, s.hours(), Duration.ofMinutes(3), 1.0,
                Duration.ofMillis(Math.round(s.ping().toMillis() * s.scale())), 0.2, 0.3, 0.4, SyntheticSite.industryDelays());
        SyntheticSite.Stream stream = SyntheticSite.generate(params, 42);
        long measuredUntil = stream.duration() - LATE.toMillis();
        int daily = (int) Math.round(s.rate() * 24);
        System.out.printf(Locale.ROOT, "Attribution accuracy: %.0f visits/h (daily profile ±60%%), %.0f simulated hours, %,d visits, "
                        + "%,d calls (40%% during the visit, after it: median 10 min, p90 2 h, p99 24 h, none past 72 h), %.0f%% of "
                        + "visits from returning visitors; time compressed %.0fx (1 real s = %.0f simulated s), pages pinging every %.0f simulated s; calls measured: those "
                        + "of visits that started in the first %.0f h (all their calls placed)%n",
                s.rate(), s.hours(), stream.visits().size(), stream.calls().size(), 20.0, s.scale(), s.scale(),
                s.ping().toMillis() * s.scale() / 1000, measuredUntil / 3_600_000.0);

        Arm rule = new Arm("rule", Math.max(1, daily / 20), stream.visits().size());
        Arm ideal = new Arm("ideal", stream.visits().size(), stream.visits().size());
        runPhase(s, stream, List.of(rule, ideal));
        int recommended = rule.sizing.path("recommendedSize").asInt();
        Arm rec = new Arm("recommended", recommended, stream.visits().size());
        Arm half = new Arm("half", Math.max(1, recommended / 2), stream.visits().size());
        runPhase(s, stream, List.of(rec, half));
        List<Arm> arms = new ArrayList<>(List.of(half, rule, rec));
        if (!s.smoke()) {
            // a user who follows the advice runs a week at the recommended size and asks again: the pool's numbers
            // now rest longer, so more of its delay curve is measured rather than assumed
            Arm again = new Arm("recommended-again", rec.sizing.path("recommendedSize").asInt(), stream.visits().size());
            runPhase(s, stream, List.of(again));
            arms.add(again);
        }
        arms.add(ideal);
        AccuracyReport.print(s, stream, measuredUntil, arms);
    }

    private static void runPhase(Settings s, SyntheticSite.Stream stream, List<Arm> arms) throws Exception {
        Path dir = Files.createTempDirectory("accuracy-bench");
        Path config = dir.resolve("number-pool.yaml");
        Files.writeString(config, config(s, arms));
        Process service = null;
        try {
            service = BenchSupport.startService(dir, config, PORT, ADMIN_KEY, List.of("calltrack.limits.held-share=0",
                    "calltrack.limits.new-leases-per-ip-per-minute=0", "calltrack.limits.new-leases-per-visitor-per-minute=0",
                    "calltrack.limits.provisional-hold=0s", "calltrack.sizing.refit-every=" + s.real(Duration.ofMinutes(60)),
                    // the script's interval (30 s, a third of the hold if shorter) scaled like every other duration
                    "calltrack.session.ping=" + s.ping(), "calltrack.session.min-ping=PT0.001S",
                    // a call's probability is scored again at the shipped times after its ring, scaled
                    "calltrack.attribution.revise-after=" + String.join(",", REVISE_AFTER.stream().map(d -> s.real(d).toString()).toList()),
                    "calltrack.attribution.revise-every=" + s.real(REVISE_EVERY)));
            long started = System.nanoTime();
            PING_LATENCY = new Latency();
            SESSION_LATENCY = new Latency();
            drive(s, stream, arms);
            Thread.sleep(2 * Math.max(1000, s.real(REVISE_EVERY).toMillis())); // the revisions due by the end: made
            System.out.printf(Locale.ROOT, "  served %s in %.0f s; answers: sessions %s, pings %s%n",
                    arms.stream().map(a -> a.label + " (" + a.size + " numbers)").toList(), (System.nanoTime() - started) / 1e9,
                    SESSION_LATENCY.summary(), PING_LATENCY.summary());
            for (Arm a : arms) {
                a.sizing = JSON.readTree(BenchSupport.get(HTTP, API + "/v1/admin/pools/" + a.site + "/sizing?window="
                        + s.real(Duration.ofMillis(stream.duration())).plusSeconds(5), ADMIN_KEY, Duration.ofMinutes(2)).body());
                readCalls(a);
                long fin = a.calls.values().stream().filter(c -> c.path("attribution").path("probabilityFinal").asBoolean(false)).count();
                long scored = a.calls.values().stream().filter(c -> c.path("attribution").hasNonNull("probability")).count();
                System.out.printf(Locale.ROOT, "  %s: %,d calls with a probability, %,d of them final (revised %s after the ring)%n",
                        a.label, scored, fin, REVISE_AFTER.get(REVISE_AFTER.size() - 1));
            }
        } catch (Exception e) {
            Path log = dir.resolve("app.log");
            if (Files.exists(log)) {
                List<String> lines = Files.readAllLines(log);
                System.err.println("service log (last lines):");
                lines.subList(Math.max(0, lines.size() - 30), lines.size()).forEach(System.err::println);
            }
            throw e;
        } finally {
            if (service != null) {
                BenchSupport.stopService(service);
            }
            BenchSupport.deleteTree(dir);
        }
    }

    /** One site per pool, every duration divided by the scale; the sizing defaults are the shipped ones, scaled. */
    static String config(Settings s, List<Arm> arms) {
        StringBuilder y = new StringBuilder("sites:\n");
        int block = 0;
        for (Arm a : arms) {
            long first = 74953000000L + 100_000L * block++;
            y.append("  - key: ").append(a.site).append('\n')
                    .append("    region: RU\n    domains: [localhost]\n")
                    .append("    printedNumbers: [\"").append(PRINTED).append("\"]\n")
                    .append("    pools:\n      - id: ").append(a.site).append('\n')
                    .append("        kind: dynamic\n")
                    .append("        numbers: [\"+").append(first).append("..+").append(first + a.size - 1).append("\"]\n")
                    .append("        hold: ").append(s.real(HOLD)).append('\n')
                    .append("        lateCallWindow: ").append(s.real(LATE)).append('\n')
                    .append("        exhaustion: share\n");
        }
        y.append("sizing:\n  target: 99%\n  callsAfterVisitShare: 0.6\n")
                .append("  callDelay: { p50: ").append(s.real(Duration.ofMinutes(30)))
                .append(", p90: ").append(s.real(Duration.ofHours(6)))
                .append(", p99: ").append(s.real(Duration.ofHours(24))).append(" }\n  minCalls: 50\n");
        return y.toString();
    }

    /** Replays the stream in real time against every arm at once: sessions, pings while the visit lasts, calls. */
    private static void drive(Settings s, SyntheticSite.Stream stream, List<Arm> arms) throws Exception {
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(4);
        Semaphore inFlight = new Semaphore(256);
        int[] dialled = SyntheticSite.dialled(stream);
        // events in simulated time: visit starts (index >= 0) and calls (-1 - index)
        List<long[]> events = new ArrayList<>();
        for (int i = 0; i < stream.visits().size(); i++) {
            events.add(new long[]{stream.visits().get(i).start(), i});
        }
        for (int k = 0; k < stream.calls().size(); k++) {
            events.add(new long[]{stream.calls().get(k).at(), -1 - k});
        }
        events.sort((a, b) -> Long.compare(a[0], b[0]));
        long t0 = System.nanoTime();
        for (long[] e : events) {
            long due = s.real(e[0]);
            long wait = due - (System.nanoTime() - t0) / 1_000_000;
            if (wait > 0) {
                Thread.sleep(wait);
            }
            for (Arm arm : arms) {
                inFlight.acquire();
                if (e[1] >= 0) {
                    int i = (int) e[1];
                    SyntheticSite.SimVisit v = stream.visits().get(i);
                    String previous = arm.lastNumber.get(v.visitor());
                    String body = "{\"siteKey\":\"" + arm.site + "\",\"visitorId\":\"visitor" + v.visitor()
                            + "\",\"url\":\"http://localhost/landing?utm_source=google&utm_medium=cpc&utm_term=visit" + i + "\""
                            + (previous == null ? "" : ",\"previous\":{\"" + PRINTED + "\":\"" + previous + "\"}") + "}";
                    long sent = System.nanoTime();
                    post("/v1/sessions", body, false).whenComplete((r, err) -> {
                        inFlight.release();
                        SESSION_LATENCY.add(sent);
                        JsonNode n = r == null || r.statusCode() != 200 ? null : parse(r.body());
                        List<Runnable> calls;
                        synchronized (arm) {
                            if (n != null && n.path("sessionId").isTextual()) {
                                arm.session[i] = n.path("sessionId").asText();
                                arm.number[i] = n.path("numbers").path(0).path("number").asText();
                            } else {
                                arm.failures.incrementAndGet();
                            }
                            calls = arm.waiting.remove(i);
                        }
                        if (calls != null) {
                            calls.forEach(Runnable::run);
                        }
                        if (arm.number[i] != null) {
                            arm.lastNumber.put(v.visitor(), arm.number[i]);
                            schedulePings(s, timer, t0, arm, i, v, n.path("pingMillis").asLong(30_000), 0);
                        }
                    });
                } else {
                    int k = (int) (-1 - e[1]);
                    int visit = dialled[k];
                    Runnable call = () -> {
                        String did = arm.number[visit];
                        if (did == null) { // the session failed: the visitor saw the site's own number
                            inFlight.release();
                            return;
                        }
                        String body = "{\"source\":\"acc\",\"externalId\":\"" + arm.label + "-" + k + "\",\"type\":\"start\",\"did\":\""
                                + did + "\",\"caller\":\"+7916" + String.format(Locale.ROOT, "%07d", stream.visits().get(visit).visitor()) + "\"}";
                        post("/v1/calls/events", body, true).whenComplete((r, err) -> {
                            inFlight.release();
                            if (r == null || r.statusCode() != 200) {
                                arm.failures.incrementAndGet();
                            }
                        });
                    };
                    boolean now;
                    synchronized (arm) {
                        now = arm.number[visit] != null || arm.session[visit] != null;
                        if (!now) {
                            arm.waiting.computeIfAbsent(visit, x -> new ArrayList<>()).add(call);
                            arm.late.incrementAndGet();
                        }
                    }
                    if (now) {
                        call.run();
                    }
                }
            }
        }
        inFlight.acquire(256);
        timer.shutdown();
        timer.awaitTermination(1, TimeUnit.MINUTES);
    }

    /**
     * The script pings every pingMillis while the page is open; the service keeps of a visit's pings only the lease's
     * expiry (the last ping plus the hold; its last activity is logged when the lease ends). So of the pings on that
     * grid the page sends the last one, and before it only those that keep the lease from lapsing (one at least every
     * third of the hold): the lease the service holds and logs is the same, for a fraction of the requests, which on
     * two cores would otherwise queue for hundreds of real milliseconds, that is minutes of simulated time. Each is
     * sent when it is due in simulated time, not a pingMillis after the last answer as the script times it:
     * compressed, a 10 ms answer would add 10 simulated seconds a ping.
     */
    private static void schedulePings(Settings s, ScheduledExecutorService timer, long t0, Arm arm, int i, SyntheticSite.SimVisit v,
                                      long everyMs, int previous) {
        long last = s.real(v.leave() - v.start()) / everyMs;
        if (previous >= last) {
            return;
        }
        long keep = Math.max(1, s.real(HOLD).toMillis() / 3 / everyMs); // grid steps a lease safely goes without a ping
        long nth = Math.min(last, previous + keep);
        long due = s.real(v.start()) + everyMs * nth - (System.nanoTime() - t0) / 1_000_000;
        timer.schedule(() -> {
            long sent = System.nanoTime();
            post("/v1/sessions/" + arm.session[i] + "/ping", "{\"siteKey\":\"" + arm.site + "\"}", false)
                    .whenComplete((r, e) -> PING_LATENCY.add(sent));
            schedulePings(s, timer, t0, arm, i, v, everyMs, (int) nth);
        }, Math.max(0, due), TimeUnit.MILLISECONDS);
    }

    /** Answer times in real ms, to say whether the service kept up with the compressed clock. */
    static final class Latency {
        private final java.util.concurrent.atomic.AtomicLongArray ms = new java.util.concurrent.atomic.AtomicLongArray(1001);

        void add(long sentNanos) {
            ms.incrementAndGet((int) Math.min(1000, (System.nanoTime() - sentNanos) / 1_000_000));
        }

        String summary() {
            long n = 0;
            for (int i = 0; i < ms.length(); i++) {
                n += ms.get(i);
            }
            StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%,d", n));
            for (double q : new double[]{0.5, 0.99, 0.999}) {
                long seen = 0;
                for (int i = 0; i < ms.length(); i++) {
                    seen += ms.get(i);
                    if (seen >= q * n) {
                        out.append(String.format(Locale.ROOT, ", p%s %d ms", q == 0.5 ? "50" : q == 0.99 ? "99" : "99.9", i));
                        break;
                    }
                }
            }
            return out.toString();
        }
    }

    private static java.util.concurrent.CompletableFuture<HttpResponse<String>> post(String path, String body, boolean admin) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(API + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", admin ? "application/json" : "text/plain")
                .header("Origin", "http://localhost")
                .header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (admin) {
            b.header("Authorization", "Bearer " + ADMIN_KEY);
        }
        return HTTP.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            return null;
        }
    }

    /** Every call of the arm's pool, by the bench's external id. */
    private static void readCalls(Arm a) throws Exception {
        String cursor = null;
        do {
            String url = API + "/v1/calls?pool=" + a.site + "&limit=500"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            JsonNode page = JSON.readTree(BenchSupport.get(HTTP, url, ADMIN_KEY, Duration.ofMinutes(1)).body());
            for (JsonNode c : page.path("items")) {
                a.calls.put(c.path("externalId").asText(), c);
            }
            cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText(null);
        } while (cursor != null);
    }
}
