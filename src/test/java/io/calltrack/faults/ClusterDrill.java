package io.calltrack.faults;

import io.calltrack.embedded.EmbeddedServices;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Calltrack on a Redis Cluster: an embedded PostgreSQL, three masters with a replica each, and a number-pool.yaml of
 * three sites whose pools fall on the three masters; packaged services started on them; page views as a browser's
 * script sends them, and a master killed under them. Shared by the cluster test and the scale-out bench.
 */
final class ClusterDrill implements AutoCloseable {

    static final int SITES = 3;
    static final String UA = Load.UA;
    private static final Pattern NUMBER = Pattern.compile("\"number\":\"([^\"]+)\".*?\"leased\":(true|false)");
    private static final Pattern SESSION = Pattern.compile("\"sessionId\":\"([^\"]+)\"");

    /** One page view's answer as the visitor saw it. */
    record Visit(int site, String visitor, int status, String number, boolean leased, String session, long sentNanos, long answeredNanos) {
    }

    /** A master killed under page views: every answer, and when the killed master's pool leased again. */
    record Failover(int master, long killedNanos, long leasedAgainNanos, List<Visit> visits) {

        long millis() {
            return (leasedAgainNanos - killedNanos) / 1_000_000;
        }

        /** Page views of one site sent after the kill and answered before its pool leased again. */
        List<Visit> during(int site) {
            return visits.stream().filter(v -> v.site() == site && v.sentNanos() > killedNanos && v.answeredNanos() < leasedAgainNanos).toList();
        }
    }

    final Path dir;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    final int pgPort;
    final EmbeddedServices.Running postgres;
    final RedisCluster cluster;
    /** Each site's pool, and the master that served it when the drill began. */
    final List<String> pools = new ArrayList<>();
    final List<Integer> masters = new ArrayList<>();
    final Path poolFile;
    private final List<ServiceProcess> services = new ArrayList<>();

    /** Pools of {@code numbers} numbers each, a lease lasting {@code hold} without pings. */
    ClusterDrill(int numbers, Duration hold) throws Exception {
        dir = Files.createTempDirectory("calltrack-cluster");
        pgPort = EmbeddedServices.freePort();
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
                    """.formatted(s, s, s, pools.get(s), s, s, numbers - 1, hold.toSeconds()));
        }
        poolFile = Files.writeString(dir.resolve("number-pool.yaml"), file.toString());
    }

    /** A packaged service on the drill's PostgreSQL and the given Redis (the cluster's URL and client type, or a single server's URL). */
    ServiceProcess start(String name, Map<String, String> redis) throws Exception {
        Map<String, String> env = new HashMap<>(redis);
        env.putAll(Map.of("CALLTRACK_DB_URL", "postgresql://127.0.0.1:" + pgPort + "/postgres", "CALLTRACK_DB_USER", "postgres",
                "CALLTRACK_POOL_FILE", poolFile.toString(), "CALLTRACK_DATA_DIR", dir.resolve("data-" + name).toString()));
        ServiceProcess service = new ServiceProcess(env, dir.resolve(name + ".log"), EmbeddedServices.freePort());
        services.add(service);
        service.start(http);
        return service;
    }

    Map<String, String> clusterRedis() {
        return Map.of("CALLTRACK_REDIS_URL", cluster.urls(), "CALLTRACK_REDIS_CLIENT_TYPE", "cluster");
    }

    Visit visit(ServiceProcess service, int site) {
        String visitor = UUID.randomUUID().toString().replace("-", "");
        String body = "{\"siteKey\":\"site" + site + "\",\"visitorId\":\"" + visitor + "\",\"url\":\"https://site" + site
                + ".example/?utm_source=cluster&utm_medium=cpc\"}";
        long sent = System.nanoTime();
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(service.api() + "/v1/sessions"))
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "text/plain").header("User-Agent", UA)
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

    /**
     * Page views every {@code everyMs} to each site; after {@code beforeMs} the first site's master is killed, and once
     * that site's pool leases again (within 30 s) the views go on for {@code afterMs}.
     */
    Failover killFirstMaster(ServiceProcess service, long everyMs, long beforeMs, long afterMs) throws Exception {
        int victim = masters.get(0);
        long[] killedAndAgain = new long[2];
        List<Visit> visits = underLoad(service, everyMs, beforeMs, soFar -> {
            long killed = System.nanoTime();
            killedAndAgain[0] = killed;
            cluster.kill(victim);
            long deadline = killed + Duration.ofSeconds(30).toNanos();
            long again = -1;
            while (again < 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
                again = soFar.stream().filter(v -> v.site() == 0 && v.sentNanos() > killed && v.leased())
                        .mapToLong(Visit::answeredNanos).min().orElse(-1);
            }
            if (again < 0) {
                throw new IllegalStateException("the killed master's pool did not lease again within 30 s");
            }
            killedAndAgain[1] = again;
        }, afterMs);
        return new Failover(victim, killedAndAgain[0], killedAndAgain[1], visits);
    }

    /** What a drill does under load; it sees the answers so far. */
    interface Action {
        void run(java.util.Collection<Visit> soFar) throws Exception;
    }

    /** Page views every {@code everyMs} to each site; {@code action} runs after {@code beforeMs}, the views go on {@code afterMs} after it. */
    List<Visit> underLoad(ServiceProcess service, long everyMs, long beforeMs, Action action, long afterMs) throws Exception {
        ConcurrentLinkedQueue<Visit> visits = new ConcurrentLinkedQueue<>();
        ScheduledExecutorService load = Executors.newScheduledThreadPool(SITES * 2);
        for (int s = 0; s < SITES; s++) {
            int site = s;
            load.scheduleAtFixedRate(() -> visits.add(visit(service, site)), 0, everyMs, TimeUnit.MILLISECONDS);
        }
        try {
            Thread.sleep(beforeMs);
            action.run(visits);
            Thread.sleep(afterMs);
            load.shutdown();
            load.awaitTermination(15, TimeUnit.SECONDS);
            return new ArrayList<>(visits);
        } finally {
            load.shutdownNow();
        }
    }

    /**
     * Numbers handed to a second visit while the first still held them (a lease lasts its hold when the page does not
     * ping, as here): the earlier lease began before its answer came, the later one after its request was sent.
     */
    static List<String> doubleHolds(List<Visit> visits, Duration hold) {
        Map<String, List<Visit>> byNumber = new HashMap<>();
        visits.stream().filter(Visit::leased).forEach(v -> byNumber.computeIfAbsent(v.number(), k -> new ArrayList<>()).add(v));
        List<String> doubled = new ArrayList<>();
        byNumber.forEach((number, held) -> {
            held.sort(java.util.Comparator.comparingLong(Visit::sentNanos));
            for (int i = 1; i < held.size(); i++) {
                if (held.get(i).answeredNanos() < held.get(i - 1).sentNanos() + hold.toNanos()) {
                    doubled.add(number + ": " + held.get(i - 1).visitor() + " then " + held.get(i).visitor() + " "
                            + (held.get(i).answeredNanos() - held.get(i - 1).sentNanos()) / 1_000_000 + " ms later");
                }
            }
        });
        return doubled;
    }

    @Override
    public void close() throws Exception {
        for (ServiceProcess s : services) {
            s.close();
        }
        cluster.close();
        postgres.close();
        try (var logs = Files.list(dir)) { // the services' logs, kept for reading after the run
            for (Path log : logs.filter(p -> p.toString().endsWith(".log")).toList()) {
                if (Files.isDirectory(Path.of("target"))) {
                    Files.copy(log, Path.of("target/cluster-" + log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        RedisProcess.delete(dir);
    }
}
