package io.calltrack.faults;

import io.calltrack.embedded.EmbeddedServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged service on a Redis Cluster (three masters, three replicas, from Debian's redis-server): pools on
 * different masters all serve, the lease and visit streams reach PostgreSQL, and a master killed under load fails
 * over to its replica, with visitors shown the site's own number meanwhile (not an error) and no number held by
 * two visits at once before or after.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterIT {

    private static final int SITES = 3;
    /** Small pools with a short hold, so numbers change hands within seconds and a lost lease would show as a double hold. */
    private static final int NUMBERS = 100;
    private static final Duration HOLD = Duration.ofSeconds(3);
    private static final Pattern NUMBER = Pattern.compile("\"number\":\"([^\"]+)\".*?\"leased\":(true|false)");
    private static final Pattern SESSION = Pattern.compile("\"sessionId\":\"([^\"]+)\"");

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static Path dir;
    private static EmbeddedServices.Running postgres;
    private static RedisCluster cluster;
    private static ServiceProcess service;
    /** Each site's pool, and the master that served it when the service started. */
    private static final List<String> pools = new ArrayList<>();
    private static final List<Integer> masters = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("calltrack-cluster");
        int pgPort = EmbeddedServices.freePort();
        postgres = EmbeddedServices.startPostgres(dir.resolve("postgres"), pgPort);
        cluster = new RedisCluster(dir.resolve("redis"));
        cluster.start();
        // pool ids whose hash tags fall on three different masters
        for (int i = 0; pools.size() < SITES; i++) {
            String id = "cluster-" + i;
            int master = cluster.masterOf("ct:{pool:" + id + "}:");
            if (!masters.contains(master)) {
                pools.add(id);
                masters.add(master);
            }
        }
        StringBuilder file = new StringBuilder("sites:\n");
        for (int s = 0; s < SITES; s++) {
            file.append("""
                      - key: site%d
                        region: US
                        domains: [site%d.example]
                        printedNumbers: ["(212) 555-010%d"]
                        pools:
                          - id: %s
                            kind: dynamic
                            numbers: ["(646) 70%d-0000..(646) 70%d-%04d"]
                            hold: %ds
                            exhaustion: default
                    """.formatted(s, s, s, pools.get(s), s, s, NUMBERS - 1, HOLD.toSeconds()));
        }
        Path poolFile = Files.writeString(dir.resolve("number-pool.yaml"), file.toString());
        service = new ServiceProcess(Map.of("CALLTRACK_DB_URL", "postgresql://127.0.0.1:" + pgPort + "/postgres",
                "CALLTRACK_DB_USER", "postgres", "CALLTRACK_REDIS_URL", cluster.urls(), "CALLTRACK_REDIS_CLIENT_TYPE", "cluster",
                "CALLTRACK_POOL_FILE", poolFile.toString(), "CALLTRACK_DATA_DIR", dir.resolve("data").toString()),
                dir.resolve("service.log"), EmbeddedServices.freePort());
        service.start(HTTP);
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[]{service, cluster, postgres}) {
            if (c != null) {
                c.close();
            }
        }
        Path log = dir.resolve("service.log");
        if (Files.exists(log) && Files.isDirectory(Path.of("target"))) { // kept for reading after the run
            Files.copy(log, Path.of("target/redis-cluster-service.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        RedisProcess.delete(dir);
    }

    /** One page view's answer as the visitor saw it. */
    record Visit(int site, String visitor, int status, String number, boolean leased, String session, long sentNanos, long answeredNanos) {
    }

    private static Visit visit(int site) {
        String visitor = UUID.randomUUID().toString().replace("-", "");
        String body = "{\"siteKey\":\"site" + site + "\",\"visitorId\":\"" + visitor + "\",\"url\":\"https://site" + site
                + ".example/?utm_source=cluster&utm_medium=cpc\"}";
        long sent = System.nanoTime();
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(service.api() + "/v1/sessions"))
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "text/plain").header("User-Agent", Load.UA)
                    .header("Origin", "https://site" + site + ".example").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher n = NUMBER.matcher(r.body());
            Matcher s = SESSION.matcher(r.body());
            boolean found = n.find();
            return new Visit(site, visitor, r.statusCode(), found ? n.group(1) : null, found && Boolean.parseBoolean(n.group(2)),
                    s.find() ? s.group(1) : null, sent, System.nanoTime());
        } catch (Exception e) {
            return new Visit(site, visitor, 0, null, false, null, sent, System.nanoTime());
        }
    }

    private static HttpResponse<String> admin(String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(service.api() + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + ServiceProcess.ADMIN_KEY).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Order(1)
    void poolsOnEveryMasterServeAndTheirCallsAreAttributed() throws Exception {
        assertEquals(SITES, new HashSet<>(masters).size(), "one pool per master");
        for (int s = 0; s < SITES; s++) {
            List<String> numbers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Visit v = visit(s);
                assertEquals(200, v.status());
                assertTrue(v.leased(), "site" + s + " on master " + masters.get(s) + ": " + v);
                numbers.add(v.number());
            }
            assertEquals(20, new HashSet<>(numbers).size(), "each live visit a number of its own: " + numbers);
        }
        // a call to a number a moment after the page view: the lease stream of that pool's master reached PostgreSQL
        Visit v = visit(2);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            HttpResponse<String> call = admin("POST", "/v1/calls/events", "{\"source\":\"cluster\",\"externalId\":\"" + UUID.randomUUID()
                    + "\",\"type\":\"start\",\"did\":\"" + v.number() + "\",\"caller\":\"+12125550199\"}");
            assertEquals(200, call.statusCode(), call.body());
            String detail = admin("GET", "/v1/calls/" + call.body().replaceAll("\\D+", ""), null).body();
            assertTrue(detail.contains(v.session()) && detail.contains("LIVE_LEASE"), detail);
        });
    }

    @Test
    @Order(2)
    void aMasterKilledUnderLoadFailsOverAndNoNumberIsEverHeldByTwoVisits() throws Exception {
        ConcurrentLinkedQueue<Visit> visits = new ConcurrentLinkedQueue<>();
        ScheduledExecutorService load = Executors.newScheduledThreadPool(SITES * 2);
        for (int s = 0; s < SITES; s++) {
            int site = s;
            // 20 page views a second per site: about 60 numbers of 100 held at once, each changing hands within seconds
            load.scheduleAtFixedRate(() -> visits.add(visit(site)), 0, 50, TimeUnit.MILLISECONDS);
        }
        Thread.sleep(4_000);
        int victim = masters.get(0);
        long killed = System.nanoTime();
        cluster.kill(victim);
        long failover;
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> visits.stream()
                    .anyMatch(v -> v.site() == 0 && v.sentNanos() > killed && v.leased()));
            failover = visits.stream().filter(v -> v.site() == 0 && v.sentNanos() > killed && v.leased())
                    .mapToLong(Visit::answeredNanos).min().orElseThrow() - killed;
            Thread.sleep(4_000);
        } finally {
            load.shutdown();
            load.awaitTermination(15, TimeUnit.SECONDS);
        }
        List<Visit> all = new ArrayList<>(visits);
        long during = all.stream().filter(v -> v.site() == 0 && v.sentNanos() > killed && v.answeredNanos() < killed + failover).count();
        long unleasedDuring = all.stream().filter(v -> v.site() == 0 && v.sentNanos() > killed && v.answeredNanos() < killed + failover
                && !v.leased()).count();
        System.out.printf("Redis Cluster failover: master %d killed, its pool leased again after %d ms (node timeout %d ms); "
                        + "%d page views of that pool meanwhile, %d shown the site's own number; %d page views in all%n",
                victim, failover / 1_000_000, RedisCluster.NODE_TIMEOUT_MS, during, unleasedDuring, all.size());

        Map<Integer, Long> statuses = new HashMap<>();
        all.forEach(v -> statuses.merge(v.status(), 1L, Long::sum));
        assertEquals(Map.of(200, (long) all.size()), statuses, "every page view answered 200, during the failover too");
        for (Visit v : all) {
            if (!v.leased()) {
                assertEquals("+1212555010" + v.site(), v.number(), "a visit with no lease is shown the site's own number: " + v);
            }
        }
        // the pools on the other masters went on leasing through the failover
        assertTrue(all.stream().filter(v -> v.site() != 0).allMatch(Visit::leased),
                "other masters' pools: " + all.stream().filter(v -> v.site() != 0 && !v.leased()).count() + " unleased");
        // no number handed to a second visit while the first still held it (a lease lasts its hold: no pings here)
        Map<String, List<Visit>> byNumber = new HashMap<>();
        all.stream().filter(Visit::leased).forEach(v -> byNumber.computeIfAbsent(v.number(), k -> new ArrayList<>()).add(v));
        List<String> doubled = new ArrayList<>();
        byNumber.forEach((number, held) -> {
            held.sort(java.util.Comparator.comparingLong(Visit::sentNanos));
            for (int i = 1; i < held.size(); i++) {
                // the earlier lease began before its answer came; the later one after its request was sent
                if (held.get(i).answeredNanos() < held.get(i - 1).sentNanos() + HOLD.toNanos()) {
                    doubled.add(number + ": " + held.get(i - 1).visitor() + " then " + held.get(i).visitor() + " "
                            + (held.get(i).answeredNanos() - held.get(i - 1).sentNanos()) / 1_000_000 + " ms later");
                }
            }
        });
        assertEquals(List.of(), doubled);
        assertTrue(failover < Duration.ofSeconds(15).toNanos(), "failover took " + failover / 1_000_000 + " ms");
    }
}
