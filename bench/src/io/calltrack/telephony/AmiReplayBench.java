package io.calltrack.telephony;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.bench.BenchSupport;
import io.calltrack.support.AmiTranscript;
import io.calltrack.support.FakeAmi;
import org.asteriskjava.manager.ManagerConnection;
import org.asteriskjava.manager.ManagerConnectionFactory;
import org.asteriskjava.manager.event.HangupEvent;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recorded Asterisk calls (fixtures 01 and 02, alternately, each with fresh ids, caller and DID) written
 * to an AMI socket as fast as it takes them. Baseline: a bare Asterisk-Java client that only parses the
 * events. Then the packaged service (embedded PostgreSQL and Redis) listening to the same fake PBX, with
 * visitors holding the dialled numbers: calls/s until every call is readable through GET /v1/calls, and for
 * a sample of calls the delay from writing the hang-up to the API showing the call ended.
 *
 * args: calls [sampleEvery]
 */
public final class AmiReplayBench {

    /** The admin key the bench starts the service with, to read the call log. */
    private static final String ADMIN_KEY = "ct_bench_admin_key_0123456789";

    private static final FakeAmi AMI = FakeAmi.instance();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final int HTTP_PORT = 18183;
    private static final String API = "http://127.0.0.1:" + HTTP_PORT;
    /** Call numbers of the warm-up burst, apart from the measured ones. */
    private static final int WARM_UP_FIRST = 9_000_000;

    public static void main(String[] args) throws Exception {
        int calls = Integer.parseInt(args[0]);
        int sampleEvery = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int pace = args.length > 2 ? Integer.parseInt(args[2]) : 0; // calls/s of the paced run after the burst; 0: none
        List<List<String>> recordings = List.of(
                FakeAmi.events(new AmiTranscript("01_answered_by_asterisk"), s -> s),
                FakeAmi.events(new AmiTranscript("02_answered_by_operator"), s -> s));
        long events = 0;
        for (int i = 0; i < calls; i++) {
            events += recordings.get(i % 2).size();
        }
        System.out.printf(Locale.ROOT, "AMI replay: %d calls (%d events), written as fast as the socket takes them%n",
                calls, events);

        double baseline = baseline(calls, recordings);
        System.out.printf(Locale.ROOT, "  baseline: Asterisk-Java parsing alone  %8.0f calls/s%n", baseline);

        Process app = startService();
        try {
            AMI.awaitConnected(Duration.ofSeconds(60));
            List<String> numbers = leaseNumbers(200);
            // a long-running service is measured, not its first seconds: a burst first, not counted, warms the JIT
            serviceRun(WARM_UP_FIRST, 1_000, 0, sampleEvery, recordings, numbers, Double.NaN);
            serviceRun(0, calls, 0, sampleEvery, recordings, numbers, baseline);
            if (pace > 0) {
                serviceRun(calls, Math.min(calls, pace * 10), pace, sampleEvery, recordings, numbers, baseline);
            }
            printWriteTimes();
        } finally {
            app.destroy();
            app.waitFor(20, TimeUnit.SECONDS);
        }
    }

    /** One call's events with its own ids, caller and DID. */
    private static List<String> call(List<List<String>> recordings, int i, String did) {
        String system = "b" + i + "-";
        String caller = String.format(Locale.ROOT, "7916%07d", i);
        String recordedDid = i % 2 == 0 ? "74951110001" : "74951110002";
        var ids = FakeAmi.ids(system);
        List<String> out = new ArrayList<>();
        for (String e : recordings.get(i % 2)) {
            out.add(ids.apply(e).replace(recordedDid, did).replace("79161234567", caller));
        }
        return out;
    }

    /**
     * Every call's events as the bytes the fake PBX writes (the connected client's filter applied), made
     * before the clock starts so the timed loop costs the bench nothing but socket writes.
     */
    private static List<byte[]> render(int calls, java.util.function.IntFunction<List<String>> call) {
        List<byte[]> out = new ArrayList<>(calls);
        for (int i = 0; i < calls; i++) {
            out.add(AMI.prepare(call.apply(i)));
        }
        return out;
    }

    private static double baseline(int calls, List<List<String>> recordings) throws Exception {
        CountDownLatch hungUp = new CountDownLatch(calls);
        ManagerConnection c = new ManagerConnectionFactory("127.0.0.1", FakeAmi.PORT, FakeAmi.USERNAME, FakeAmi.SECRET)
                .createManagerConnection();
        c.addEventListener(e -> {
            if (e instanceof HangupEvent h && h.getChannel().startsWith("PJSIP/trunk")) {
                hungUp.countDown();
            }
        });
        c.login("on");
        List<byte[]> traffic = render(calls, i -> call(recordings, i, "+16466009999"));
        long start = System.nanoTime();
        for (byte[] call : traffic) {
            AMI.sendPrepared(call);
        }
        long lastCount = -1;
        long lastChange = System.nanoTime();
        while (hungUp.getCount() > 0 && System.nanoTime() - lastChange < 5_000_000_000L) { // until 5 s without progress
            if (hungUp.getCount() != lastCount) {
                lastCount = hungUp.getCount();
                lastChange = System.nanoTime();
            }
            Thread.sleep(10);
        }
        long seen = calls - hungUp.getCount();
        double seconds = ((hungUp.getCount() == 0 ? System.nanoTime() : lastChange) - start) / 1e9;
        c.logoff();
        if (seen < calls) {
            // Asterisk-Java's event pump drops events when its 20,000-event queue is full
            System.out.printf(Locale.ROOT, "  baseline client saw %d of %d hang-ups: Asterisk-Java dropped events%n", seen, calls);
        }
        return seen / seconds;
    }

    private static Process startService() throws Exception {
        Path data = Files.createTempDirectory("ami-bench");
        Path poolFile = data.resolve("number-pool.yaml");
        Files.writeString(poolFile, Files.readString(Path.of("bench/number-pool-ami.yaml")) + """
                pbx:
                  - id: ami-bench
                    host: 127.0.0.1
                    port: %d
                    username: %s
                    secret: %s
                    contexts: [from-trunk]
                    region: RU
                """.formatted(FakeAmi.PORT, FakeAmi.USERNAME, FakeAmi.SECRET));
        return BenchSupport.startService(data, poolFile, HTTP_PORT, ADMIN_KEY, List.of("calltrack.limits.new-leases-per-ip-per-minute=0",
                "calltrack.limits.new-leases-per-visitor-per-minute=0", "calltrack.limits.held-share=0"));
    }

    /** Visitors on the site: each holds one of the numbers the calls dial. */
    private static List<String> leaseNumbers(int visitors) throws Exception {
        List<String> numbers = new ArrayList<>();
        Pattern number = Pattern.compile("\"number\"\\s*:\\s*\"(\\+\\d+)\"");
        for (int i = 0; i < visitors; i++) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(API + "/v1/sessions"))
                    .header("Content-Type", "text/plain").header("Origin", "http://localhost")
                    .header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"siteKey\":\"amibench\",\"visitorId\":\"visitor" + (100000 + i)
                            + "\",\"url\":\"https://bench.example/?utm_source=google&utm_medium=cpc&utm_term=sofa+" + i + "\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            Matcher m = number.matcher(r.body());
            if (r.statusCode() != 200 || !m.find()) {
                throw new IllegalStateException("session: " + r.statusCode() + " " + r.body());
            }
            numbers.add(m.group(1));
        }
        return numbers;
    }

    /**
     * Calls {@code first}..{@code first + calls - 1} into the service: as fast as the socket takes them
     * ({@code pace} 0), or at {@code pace} calls/s, the delays then counted from each call's scheduled time.
     */
    private static void serviceRun(int first, int calls, int pace, int sampleEvery, List<List<String>> recordings,
                                   List<String> numbers, double baseline) throws Exception {
        List<byte[]> traffic = render(calls, i -> call(recordings, first + i, numbers.get(i % numbers.size())));
        Watcher watcher = new Watcher(first, calls);
        watcher.start();
        long start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            long due = pace == 0 ? System.nanoTime() : start + (long) (i * 1e9 / pace);
            // parked, not spinning: on two cores a spinning sender would take half the machine from the service
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            if (i % sampleEvery == 0) {
                watcher.sent.put(first + i, due);
            }
            AMI.sendPrepared(traffic.get(i));
        }
        watcher.join();
        double seconds = (watcher.allEndedAt - start) / 1e9;
        long[] d = watcher.delays.stream().mapToLong(Long::longValue).sorted().toArray();
        if (Double.isNaN(baseline)) {
            System.out.printf(Locale.ROOT, "  (warm-up: %d calls in %.1f s, not counted)%n", calls, seconds);
        } else if (pace == 0) {
            int[] counts = countThroughApi(first, calls);
            double rate = calls / seconds;
            System.out.printf(Locale.ROOT, "  service: assembled, attributed, written %8.0f calls/s (%.2f of baseline; target >= 1000 calls/s)%n",
                    rate, rate / baseline);
            System.out.printf(Locale.ROOT, "  calls in GET /v1/calls: %d of %d, %d attributed to a visit's lease%n",
                    counts[0], calls, counts[1]);
            System.out.printf(Locale.ROOT, "  hang-up written -> ended call in the API (%d sampled calls; the whole burst is in the socket at once, so this is mostly the queue draining): p50 %.1f ms  p99 %.1f ms  max %.1f ms%n",
                    d.length, pct(d, 0.50), pct(d, 0.99), d[d.length - 1] / 1e6);
        } else {
            System.out.printf(Locale.ROOT, "  paced at %d calls/s for %d calls: hang-up -> ended call in the API p50 %.1f ms  p99 %.1f ms  max %.1f ms (target p99 <= 200 ms)%n",
                    pace, calls, pct(d, 0.50), pct(d, 0.99), d[d.length - 1] / 1e6);
        }
    }

    /**
     * Reads the call log as a CRM keeps in sync (updatedSince, then each nextCursor, every 5 ms when there is
     * nothing new), noting when each call of the run first shows up ended: one reader for every call, so
     * the bench takes little of the CPU the service is measured on.
     */
    private static final class Watcher extends Thread {
        final Map<Integer, Long> sent = new ConcurrentHashMap<>(); // sampled call number -> when it was due
        final List<Long> delays = new ArrayList<>();
        private final int first;
        private final int calls;
        private final Set<Integer> ended = new HashSet<>();
        private final String since = Instant.now().minusSeconds(1).toString();
        volatile long allEndedAt;

        Watcher(int first, int calls) {
            this.first = first;
            this.calls = calls;
            setDaemon(true);
        }

        @Override
        public void run() {
            String cursor = null;
            while (ended.size() < calls) {
                try {
                    JsonNode page = JSON.readTree(get("/v1/calls?pbx=ami-bench&limit=1000&"
                            + (cursor == null ? "updatedSince=" + since : "cursor=" + cursor)).body());
                    long now = System.nanoTime();
                    for (JsonNode call : page.get("items")) {
                        int n = callNumber(call);
                        if (n >= first && n < first + calls && !call.get("endedAt").isNull() && ended.add(n)) {
                            Long due = sent.remove(n);
                            if (due != null) {
                                delays.add(now - due);
                            }
                        }
                    }
                    cursor = page.get("nextCursor").asText();
                    if (page.get("items").isEmpty()) {
                        Thread.sleep(5);
                    }
                } catch (Exception e) {
                    sleepQuietly();
                }
            }
            allEndedAt = System.nanoTime();
        }
    }

    /** [calls first..first + calls - 1 in the call log, of which attributed to a lease], paging through the API. */
    private static int[] countThroughApi(int first, int calls) throws Exception {
        int total = 0;
        int leased = 0;
        String cursor = null;
        do {
            JsonNode page = JSON.readTree(get("/v1/calls?pbx=ami-bench&limit=1000" + (cursor == null ? "" : "&cursor=" + cursor)).body());
            for (JsonNode call : page.get("items")) {
                int n = callNumber(call);
                if (n >= first && n < first + calls) {
                    total++;
                    leased += "LIVE_LEASE".equals(call.path("attribution").path("method").asText()) ? 1 : 0;
                }
            }
            cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
        } while (cursor != null);
        return new int[]{total, leased};
    }

    /** The bench's number of a call, from its caller (+7916 and seven digits). */
    private static int callNumber(JsonNode call) {
        return Integer.parseInt(call.get("caller").asText().substring(5));
    }

    /** The service's own figures for its batched writes, to tell database time from queueing in the delays above. */
    private static void printWriteTimes() throws Exception {
        StringBuilder out = new StringBuilder();
        for (String line : get("/q/metrics").body().split("\n")) {
            if (line.startsWith("calltrack_calls_write_time_seconds")) {
                out.append(line.replace("calltrack_calls_write_time_seconds", "")).append("  ");
            }
        }
        System.out.printf(Locale.ROOT, "  a batch of calls written (seconds, since start): %s%n", out.toString().trim());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return BenchSupport.get(HTTP, API + path, ADMIN_KEY, Duration.ofSeconds(10));
    }

    private static double pct(long[] sorted, double q) {
        return BenchSupport.percentileMs(sorted, q);
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
