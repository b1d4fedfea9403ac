package io.calltrack.faults;

import com.sun.net.httpserver.HttpServer;
import io.calltrack.embedded.EmbeddedServices;
import io.calltrack.support.AmiTranscript;
import io.calltrack.support.CdrTable;
import io.calltrack.support.FakeAmi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three packaged services on one PostgreSQL and one Redis, as the k8s manifests run them: a change made through
 * one (a reload of number-pool.yaml, a number added over the API) is in force on the others within a second or two;
 * visits, pings, webhooks and the PBX are served by whichever replica, each once.
 */
class ReplicasIT {

    private static final String POOL_FILE = FaultDrills.POOL_FILE.replace("(646) 700-0000..(646) 700-9999", "(646) 700-0000..(646) 700-0009");

    private static final String PBX = "replicas-pbx";
    private static final Duration LOCK_TTL = Duration.ofSeconds(4);
    private static String dbUrl;
    /** The pool file the replicas start with: the drill's site and the test PBX. */
    private static String base;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static Path dir;
    private static Path poolFile;
    private static EmbeddedServices.Running postgres;
    private static RedisProcess redis;
    private static ServiceProcess a;
    private static ServiceProcess b;
    /** A third replica: the PBX goes to exactly one of three. */
    private static ServiceProcess c;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("calltrack-replicas");
        int pgPort = EmbeddedServices.freePort();
        postgres = EmbeddedServices.startPostgres(dir.resolve("postgres"), pgPort);
        redis = new RedisProcess(dir.resolve("redis"), EmbeddedServices.freePort());
        redis.start(true);
        dbUrl = "postgresql://127.0.0.1:" + pgPort + "/postgres";
        // both replicas may listen to the test PBX (FakeAmi, in this JVM); its CDR store is a table in the same database
        CdrTable.create(dbUrl, "postgres");
        FakeAmi.instance(); // listening before the replicas start, so neither waits out a connection backoff
        base = POOL_FILE + """
                pbx:
                  - id: %s
                    host: 127.0.0.1
                    port: %d
                    username: %s
                    secret: %s
                    contexts: [from-trunk]
                    did: exten
                    region: RU
                    cdr:
                      url: %s
                      username: postgres
                      table: asterisk_cdr.cdr
                """.formatted(PBX, FakeAmi.PORT, FakeAmi.USERNAME, FakeAmi.SECRET, dbUrl);
        poolFile = Files.writeString(dir.resolve("number-pool.yaml"), base);
        Map<String, String> env = Map.of("CALLTRACK_DB_URL", dbUrl, "CALLTRACK_DB_USER", "postgres", "CALLTRACK_REDIS_URL", redis.url(),
                "CALLTRACK_POOL_FILE", poolFile.toString(), "CALLTRACK_AMI_LOCK_TTL", LOCK_TTL.toSeconds() + "s");
        List<Integer> ports = EmbeddedServices.freePorts(3); // drawn together: each is taken only when its replica starts
        a = new ServiceProcess(with(env, "a"), dir.resolve("a.log"), ports.get(0));
        b = new ServiceProcess(with(env, "b"), dir.resolve("b.log"), ports.get(1));
        c = new ServiceProcess(with(env, "c"), dir.resolve("c.log"), ports.get(2));
        a.start(HTTP);
        b.start(HTTP);
        c.start(HTTP);
    }

    private static Map<String, String> with(Map<String, String> env, String name) {
        Map<String, String> out = new HashMap<>(env);
        out.put("CALLTRACK_DATA_DIR", dir.resolve("data-" + name).toString());
        out.put("HOSTNAME", name); // the replica's name begins with it (the PBX lock's holder)
        return out;
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[]{a, b, c, redis, postgres}) {
            if (c != null) {
                c.close();
            }
        }
        for (String name : new String[]{"a", "b", "c"}) { // kept for reading after the run
            Path log = dir.resolve(name + ".log");
            if (Files.exists(log) && Files.isDirectory(Path.of("target"))) {
                Files.copy(log, Path.of("target/replicas-" + name + ".log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        RedisProcess.delete(dir);
    }

    private static HttpResponse<String> send(ServiceProcess to, String method, String path, String body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(to.api() + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + ServiceProcess.ADMIN_KEY).header("Content-Type", "application/json");
        r.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aReloadOnOneReplicaIsInForceOnTheOther() throws Exception {
        Files.writeString(poolFile, POOL_FILE.replace("(646) 700-0000..(646) 700-0009", "(646) 700-0000..(646) 700-0019"));
        HttpResponse<String> reloaded = send(a, "POST", "/v1/admin/config/reload", null);
        assertEquals(200, reloaded.statusCode(), reloaded.body());
        long reloadedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() ->
                send(b, "GET", "/v1/admin/config", null).body().contains("\"numbers\":20"));
        long ms = (System.nanoTime() - reloadedAt) / 1_000_000;
        System.out.println("replicas: a reload on one was in force on the other after " + ms + " ms");
        assertTrue(ms < 1_000, ms + " ms");
    }

    @Test
    void aNumberAddedThroughOneReplicaIsAttributedByTheOther() throws Exception {
        HttpResponse<String> added = send(a, "POST", "/v1/admin/pools/drill-visits/numbers", "{\"number\": \"(646) 700-0999\"}");
        assertEquals(201, added.statusCode(), added.body());
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            HttpResponse<String> call = send(b, "POST", "/v1/calls/events", "{\"source\":\"replicas\",\"externalId\":\""
                    + UUID.randomUUID() + "\",\"type\":\"start\",\"did\":\"+16467000999\"}");
            assertEquals(200, call.statusCode(), call.body());
            String id = call.body().replaceAll("\\D+", "");
            String detail = send(b, "GET", "/v1/calls/" + id, null).body();
            assertTrue(detail.contains("\"pool\":\"drill-visits\""), detail);
        });
    }

    /**
     * A ConfigMap mounted on Kubernetes changes the file under every replica: each reloads it on its own, and a
     * broken one is refused (told in the log) while the configuration in force stays.
     */
    @Test
    void aChangedFileIsReloadedByEveryReplicaWithoutARequestAndABrokenOneIsRefused() throws Exception {
        String thirty = base.replace("(646) 700-0000..(646) 700-0009", "(646) 700-0000..(646) 700-0029");
        Files.writeString(poolFile, thirty);
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() ->
                send(a, "GET", "/v1/admin/config", null).body().contains("\"numbers\":30")
                        && send(b, "GET", "/v1/admin/config", null).body().contains("\"numbers\":30"));

        Files.writeString(poolFile, thirty + "\nnotAField: 1\n");
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() ->
                Files.readString(dir.resolve("a.log")).contains("number-pool.yaml changed but is not valid")
                        && Files.readString(dir.resolve("b.log")).contains("number-pool.yaml changed but is not valid")
                        && Files.readString(dir.resolve("c.log")).contains("number-pool.yaml changed but is not valid"));
        assertTrue(send(a, "GET", "/v1/admin/config", null).body().contains("\"numbers\":30"));
        assertTrue(send(b, "GET", "/v1/admin/config", null).body().contains("\"numbers\":30"));
        Files.writeString(poolFile, base);
    }

    /**
     * Every replica polls the call log's change feed and the webhook deliveries every second: each change is queued
     * by one and each delivery claimed by one (SKIP LOCKED) and sent once, whichever replica took the call's events.
     */
    @Test
    void eachWebhookDeliveryIsSentOnceThoughEveryReplicaPolls() throws Exception {
        Map<Long, java.util.concurrent.atomic.AtomicInteger> received = new ConcurrentHashMap<>();
        Pattern id = Pattern.compile("^\\{\"id\":(\\d+)");
        HttpServer receiver = HttpServer.create(
                new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            Matcher m = id.matcher(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            if (m.find()) {
                received.computeIfAbsent(Long.parseLong(m.group(1)), k -> new AtomicInteger()).incrementAndGet();
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            HttpResponse<String> hook = send(a, "POST", "/v1/webhooks", "{\"site\":\"drill\",\"url\":\"http://127.0.0.1:"
                    + receiver.getAddress().getPort() + "/hook\",\"events\":[\"call.started\",\"call.completed\"]}");
            assertEquals(201, hook.statusCode(), hook.body());
            int calls = 40;
            for (int i = 0; i < calls; i++) {
                String external = UUID.randomUUID().toString();
                HttpResponse<String> start = send(i % 2 == 0 ? a : b, "POST", "/v1/calls/events", "{\"source\":\"hooks\",\"externalId\":\""
                        + external + "\",\"type\":\"start\",\"did\":\"+1646700000" + (i % 10) + "\",\"caller\":\"+1212555" + (1000 + i) + "\"}");
                assertEquals(200, start.statusCode(), start.body());
                HttpResponse<String> end = send(i % 2 == 0 ? b : a, "POST", "/v1/calls/events", "{\"source\":\"hooks\",\"externalId\":\""
                        + external + "\",\"type\":\"end\"}");
                assertEquals(200, end.statusCode(), end.body());
            }
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> received.size() >= calls * 2);
            Thread.sleep(3_000); // a few more polls by both: nothing is sent again
            assertEquals(calls * 2, received.size(), "a call.started and a call.completed per call");
            assertEquals(List.of(), received.entrySet().stream().filter(e -> e.getValue().get() != 1)
                    .map(e -> e.getKey() + " sent " + e.getValue().get() + " times").toList());
        } finally {
            receiver.stop(0);
        }
    }

    /** Calls of one replay (their ids begin with its system name): how many, and how many hung up. */
    private static int[] calls(String system) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:" + dbUrl, "postgres", "");
             PreparedStatement ps = c.prepareStatement("SELECT count(*), count(ended_at) FROM calls WHERE pbx = ? AND linkedid LIKE ?")) {
            ps.setString(1, PBX);
            ps.setString(2, system + "%");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new int[]{rs.getInt(1), rs.getInt(2)};
            }
        }
    }

    /** Each live replica's link to the test PBX, but those standing by (another replica listens). */
    private static List<String> states() throws Exception {
        List<String> out = new ArrayList<>();
        for (ServiceProcess r : new ServiceProcess[]{a, b, c}) {
            if (r.alive()) {
                Matcher m = Pattern.compile("\"state\":\"([^\"]+)\"")
                        .matcher(send(r, "GET", "/v1/admin/telephony", null).body());
                assertTrue(m.find());
                if (!m.group(1).equals("standby")) {
                    out.add(m.group(1));
                }
            }
        }
        return out;
    }

    /** Sends events as the PBX does, with the CDR record cdr_pgsql writes at each call's hang-up (its Cdr event). */
    private static void send(FakeAmi ami, List<String> events) throws Exception {
        for (String e : events) {
            ami.send(e);
            if (e.startsWith("Event: Cdr")) {
                Map<String, String> h = AmiTranscript.headers(e);
                CdrTable.insert(Instant.now(), h.get("CallerID"), h.get("Source"), h.get("Destination"), h.get("DestinationContext"),
                        h.get("Channel"), h.get("DestinationChannel"), h.get("LastApplication"), Integer.parseInt(h.get("Duration")),
                        Integer.parseInt(h.get("BillableSeconds")), h.get("Disposition"), h.get("UniqueID"));
            }
        }
    }

    /**
     * The replica listening to the PBX is killed with SIGKILL in the middle of a call, with calls it had read but not
     * yet written: the other takes the PBX over once the dead one's lock runs out, adopts the call still up and closes
     * it, reads the calls since the last one logged from the CDR store (those the dead replica lost, and one that came
     * and went while nobody listened), and every call of the replayed stream is in the log once.
     */
    @Test
    void theReplicaListeningToThePbxKilledWithSigkillIsReplacedAndNoCallIsLostOrDoubled() throws Exception {
        FakeAmi ami = FakeAmi.instance();
        ami.awaitConnected(Duration.ofSeconds(30));
        String listener = await().atMost(Duration.ofSeconds(20)).until(() -> {
            Matcher m = Pattern.compile("\"listener\":\"([^\"]+)\"")
                    .matcher(send(a, "GET", "/v1/admin/telephony", null).body());
            return m.find() ? m.group(1) : null;
        }, Objects::nonNull);
        ServiceProcess listening = listener.startsWith("a-") ? a : listener.startsWith("b-") ? b : c;
        assertEquals(List.of("connected"), states(), "one replica of three listens, the others stand by");
        try {
            List<String> systems = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String system = ami.freshSystemName();
                systems.add(system);
                send(ami, FakeAmi.events(new AmiTranscript(i % 2 == 0 ? "01_answered_by_asterisk" : "05_busy_operator"), FakeAmi.ids(system)));
            }
            // a call answered by the operator and still up when the listener dies
            String inProgress = ami.freshSystemName();
            systems.add(inProgress);
            List<String> events = FakeAmi.events(new AmiTranscript("02_answered_by_operator"), FakeAmi.ids(inProgress));
            int answered = 0;
            while (!events.get(answered).contains("DialStatus: ANSWER")) {
                answered++;
            }
            send(ami, events.subList(0, answered + 1));
            int logins = ami.logins();
            Instant killed = Instant.now();
            listening.kill();
            // a whole call while nobody listens: only the PBX's CDR store sees it
            String gap = ami.freshSystemName();
            systems.add(gap);
            CdrTable.insert(killed, "\"Gap Caller\" <79161230000>", "79161230000", "74951110001", "from-trunk",
                    "PJSIP/trunk-0000000a", "PJSIP/101-0000000b", "Dial", 7, 5, "ANSWERED", gap + "1796134142.9");
            ami.awaitLogin(logins, LOCK_TTL.plusSeconds(15));
            Duration takeover = Duration.between(killed, Instant.now());
            send(ami, events.subList(answered + 1, events.size()));
            for (int i = 0; i < 3; i++) {
                String system = ami.freshSystemName();
                systems.add(system);
                send(ami, FakeAmi.events(new AmiTranscript("01_answered_by_asterisk"), FakeAmi.ids(system)));
            }
            System.out.printf("PBX takeover: listening replica %s killed, another logged in to the PBX after %d ms (lock TTL %d s)%n",
                    listener, takeover.toMillis(), LOCK_TTL.toSeconds());
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                for (String system : systems) {
                    assertEquals(List.of(1, 1), Arrays.stream(calls(system)).boxed().toList(), system + ": one call, hung up");
                }
            });
            assertTrue(takeover.compareTo(LOCK_TTL.plusSeconds(10)) < 0, "took " + takeover);
            assertEquals(logins + 1, ami.logins(), "one survivor took the PBX over, not both");
            assertEquals(List.of("connected"), states(), "of the two left, one listens");
        } finally {
            if (!listening.alive()) {
                listening.start(HTTP); // back for the other tests
            }
        }
    }

    private static HttpResponse<String> visitorRequest(ServiceProcess to, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(to.api() + path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "text/plain").header("User-Agent", Load.UA).header("Origin", "https://drill.example")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A visit begun on one replica is kept by pings to the other: its number is given to nobody else meanwhile. */
    @Test
    void aVisitStartedOnOneReplicaIsKeptByPingsToTheOther() throws Exception {
        Pattern number = Pattern.compile("\"number\":\"([^\"]+)\".*?\"leased\":(true|false)");
        HttpResponse<String> started = visitorRequest(a, "/v1/sessions", "{\"siteKey\":\"drill\",\"visitorId\":\""
                + UUID.randomUUID().toString().replace("-", "") + "\",\"url\":\"https://drill.example/\"}");
        assertEquals(200, started.statusCode(), started.body());
        Matcher m = number.matcher(started.body());
        assertTrue(m.find() && m.group(2).equals("true"), started.body());
        String held = m.group(1);
        String session = started.body().replaceAll(".*\"sessionId\":\"([^\"]+)\".*", "$1");
        List<String> others = new ArrayList<>();
        // four holds' worth of pings through the other replica, and other visitors through both meanwhile
        for (int i = 0; i < 16; i++) {
            HttpResponse<String> ping = visitorRequest(b, "/v1/sessions/" + session + "/ping", "{\"siteKey\":\"drill\"}");
            assertEquals(204, ping.statusCode(), "ping " + i + ": " + ping.body());
            HttpResponse<String> other = visitorRequest(i % 2 == 0 ? a : b, "/v1/sessions", "{\"siteKey\":\"drill\",\"visitorId\":\""
                    + UUID.randomUUID().toString().replace("-", "") + "\",\"url\":\"https://drill.example/\"}");
            Matcher o = number.matcher(other.body());
            assertTrue(o.find(), other.body());
            others.add(o.group(1));
            Thread.sleep(500);
        }
        assertTrue(!others.contains(held), held + " was given to another visit while held: " + others);
        assertTrue(others.stream().distinct().count() > 1, "the other visits were leased numbers: " + others);
    }
}
