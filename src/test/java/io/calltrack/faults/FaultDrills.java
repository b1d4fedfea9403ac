package io.calltrack.faults;

import io.calltrack.embedded.EmbeddedServices;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Faults on real servers the drills start and stop themselves (never the machine's own): the packaged
 * service on its own PostgreSQL and Redis, under a steady load of visits and call events, while Redis is
 * killed (with its append-only file, and without: restarted empty), PostgreSQL is stopped, and the service
 * itself is killed with SIGKILL. Each drill counts what the service acknowledged and what is stored
 * afterwards. Used by FaultIT (which asserts the targets) and bench/faults (which prints the figures).
 */
public final class FaultDrills implements AutoCloseable {

    /** How long each phase lasts and the load: seconds before the fault, of the fault, after it. */
    public record Plan(int before, int outage, int postgresOutage, int after, int visitsPerSecond, int callsPerSecond) {
    }

    /** What one drill measured. recoveryMs: -1 where the drill does not measure it. */
    public record Result(String name, Map<Integer, Integer> visitStatuses, Map<Integer, Integer> callStatuses,
                         long serverErrors, long unavailable, double p99DuringFaultMs, int ackedVisits, int lostVisits,
                         int ackedCalls, int lostCalls, long recoveryMs, long outageLogLines) {

        @Override
        public String toString() {
            return String.format("%-32s visits %s, calls %s; 5xx (not 503+Retry-After) %d, 503+Retry-After %d; p99 in fault %.1f ms;"
                            + " acknowledged visits %d, lost %d; acknowledged calls %d, lost %d%s; outage log lines %d",
                    name, visitStatuses, callStatuses, serverErrors, unavailable, p99DuringFaultMs, ackedVisits, lostVisits,
                    ackedCalls, lostCalls, recoveryMs < 0 ? "" : "; serving leased numbers again " + recoveryMs + " ms after the restart",
                    outageLogLines);
        }
    }

    static final String POOL_FILE = """
            sites:
              - key: drill
                region: US
                domains: [drill.example]
                printedNumbers: ["(212) 555-0100"]
                pools:
                  - id: drill-visits
                    kind: dynamic
                    numbers: ["(646) 700-0000..(646) 700-9999"]
                    hold: 2s
                    exhaustion: default
            """;

    private final Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final int pgPort;
    private final RedisProcess redis;
    private final ServiceProcess service;
    private final Path serviceLog;
    private EmbeddedServices.Running postgres;

    public FaultDrills() throws Exception {
        dir = Files.createTempDirectory("calltrack-faults");
        pgPort = EmbeddedServices.freePort();
        postgres = EmbeddedServices.startPostgres(dir.resolve("postgres"), pgPort);
        redis = new RedisProcess(dir.resolve("redis"), EmbeddedServices.freePort());
        redis.start(true);
        Path poolFile = Files.writeString(dir.resolve("number-pool.yaml"), POOL_FILE);
        serviceLog = dir.resolve("service.log");
        service = new ServiceProcess(Map.of("CALLTRACK_DB_URL", "postgresql://127.0.0.1:" + pgPort + "/postgres",
                "CALLTRACK_DB_USER", "postgres", "CALLTRACK_REDIS_URL", redis.url(), "CALLTRACK_POOL_FILE", poolFile.toString(),
                "CALLTRACK_DATA_DIR", dir.resolve("data").toString()), serviceLog, EmbeddedServices.freePort());
        service.start(http);
    }

    public List<Result> runAll(Plan plan) throws Exception {
        List<Result> results = new ArrayList<>();
        results.add(redisKilled(plan, true));
        results.add(redisKilled(plan, false));
        results.add(postgresStopped(plan));
        results.add(serviceKilled(plan));
        return results;
    }

    /**
     * Redis killed with SIGKILL under load and started again: with the append-only file (production's
     * setting) nothing acknowledged may be lost; without it, Redis comes back empty, what was waiting in its
     * streams is gone (measured), and the pool must be rebuilt by the service itself, with no visitor.
     */
    Result redisKilled(Plan plan, boolean aof) throws Exception {
        String name = aof ? "Redis kill -9, AOF everysec" : "Redis kill -9, no persistence";
        long logBefore = outageLines();
        try (Load load = new Load(http, service.api())) {
            load.start(plan.visitsPerSecond(), plan.callsPerSecond());
            Thread.sleep(plan.before() * 1000L);
            long faultStart = System.nanoTime();
            redis.kill();
            long recovery;
            if (aof) {
                Thread.sleep(plan.outage() * 1000L);
                redis.start(true);
                long restarted = System.nanoTime();
                Thread.sleep(plan.after() * 1000L);
                long first = load.firstAckedVisit(restarted);
                recovery = first < 0 ? Long.MAX_VALUE : Math.max(0, (first - restarted) / 1_000_000);
                load.close();
            } else {
                load.close(); // no visitor from here on: the service must rebuild the pool by itself
                Thread.sleep(plan.outage() * 1000L);
                redis.forget();
                redis.start(false);
                long restarted = System.nanoTime();
                recovery = awaitPoolRebuilt(restarted);
            }
            return result(name, load, faultStart, System.nanoTime(), recovery, outageLines() - logBefore);
        }
    }

    /** PostgreSQL stopped under visits and call events, then started again: nothing acknowledged may be lost. */
    Result postgresStopped(Plan plan) throws Exception {
        long logBefore = outageLines();
        try (Load load = new Load(http, service.api())) {
            load.start(plan.visitsPerSecond(), plan.callsPerSecond());
            Thread.sleep(plan.before() * 1000L);
            long faultStart = System.nanoTime();
            postgres.close();
            Thread.sleep(plan.postgresOutage() * 1000L);
            postgres = EmbeddedServices.startPostgres(dir.resolve("postgres"), pgPort);
            long faultEnd = System.nanoTime();
            Thread.sleep(plan.after() * 1000L);
            load.close();
            return result("PostgreSQL stopped " + plan.postgresOutage() + " s", load, faultStart, faultEnd, -1,
                    outageLines() - logBefore);
        }
    }

    /** The service killed with SIGKILL under load and started again: what it acknowledged is in Redis or PostgreSQL. */
    Result serviceKilled(Plan plan) throws Exception {
        try (Load load = new Load(http, service.api())) {
            load.start(plan.visitsPerSecond(), plan.callsPerSecond());
            Thread.sleep(plan.before() * 1000L);
            long faultStart = System.nanoTime();
            service.kill();
            service.start(http);
            long faultEnd = System.nanoTime();
            Thread.sleep(plan.after() * 1000L);
            load.close();
            return result("service kill -9", load, faultStart, faultEnd, -1, 0);
        }
    }

    private long awaitPoolRebuilt(long since) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            if ("1".equals(String.valueOf(redis.command("EXISTS", "ct:{pool:drill-visits}:meta")).replace(":", ""))) {
                return (System.nanoTime() - since) / 1_000_000;
            }
            Thread.sleep(10);
        }
        return Long.MAX_VALUE;
    }

    private Result result(String name, Load load, long faultStart, long faultEnd, long recoveryMs, long logLines) throws Exception {
        Set<String> visits = new HashSet<>(load.ackedVisits);
        Set<String> calls = new HashSet<>(load.ackedCalls);
        int storedVisits = 0;
        int storedCalls = 0;
        // the writers flush every second and retry after an outage: give them time to catch up
        for (int i = 0; i < 60; i++) {
            storedVisits = count("SELECT count(*) FROM sessions WHERE id = ANY(?)", visits);
            storedCalls = count("SELECT count(*) FROM calls WHERE pbx = 'ingest:drill' AND linkedid = ANY(?)", calls);
            if (storedVisits == visits.size() && storedCalls == calls.size()) {
                break;
            }
            Thread.sleep(500);
        }
        return new Result(name, statuses(load, "visit"), statuses(load, "call"),
                load.serverErrors(), load.unavailable(), load.p99Ms(faultStart, faultEnd), visits.size(),
                visits.size() - storedVisits, calls.size(), calls.size() - storedCalls, recoveryMs, logLines);
    }

    /** Answers of one kind over the whole drill, by status (0: no answer, the service was down). */
    private static Map<Integer, Integer> statuses(Load load, String kind) {
        Map<Integer, Integer> out = new java.util.TreeMap<>();
        for (Load.Sample s : load.samples) {
            if (s.kind().equals(kind)) {
                out.merge(s.status(), 1, Integer::sum);
            }
        }
        return out;
    }

    private int count(String sql, Set<String> ids) throws Exception {
        if (ids.isEmpty()) {
            return 0;
        }
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres", "postgres", "")) {
            Array array = c.createArrayOf("text", ids.toArray());
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setArray(1, array);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        } catch (java.sql.SQLException e) {
            return 0; // not back yet
        }
    }

    /** Lines the service logged about a backing service being unavailable (one per outage is the aim). */
    private long outageLines() throws IOException {
        try (var lines = Files.lines(serviceLog)) {
            // the log format shortens the category's packages: [io.cal.web.Outages]
            return lines.filter(l -> l.contains(".web.Outages] ") && l.contains(" is unavailable")).count();
        }
    }

    /** Lines the service logged at ERROR (stack traces are not counted line by line). */
    public long errorLines() throws IOException {
        try (var lines = Files.lines(serviceLog)) {
            return lines.filter(l -> l.contains(" ERROR ")).count();
        }
    }

    public Path log() {
        return serviceLog;
    }

    @Override
    public void close() throws Exception {
        service.close();
        redis.close();
        postgres.close();
        if (Files.isDirectory(Path.of("target"))) { // kept for reading after the run
            Files.copy(serviceLog, Path.of("target/fault-drills-service.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        RedisProcess.delete(dir);
    }
}
