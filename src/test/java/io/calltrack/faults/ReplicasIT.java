package io.calltrack.faults;

import io.calltrack.embedded.EmbeddedServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two packaged services on one PostgreSQL and one Redis, as the k8s manifests run them: a change made through
 * one (a reload of number-pool.yaml, a number added over the API) is in force on the other within a second or two.
 */
class ReplicasIT {

    private static final String POOL_FILE = FaultDrills.POOL_FILE.replace("(646) 700-0000..(646) 700-9999", "(646) 700-0000..(646) 700-0009");

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static Path dir;
    private static Path poolFile;
    private static EmbeddedServices.Running postgres;
    private static RedisProcess redis;
    private static ServiceProcess a;
    private static ServiceProcess b;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("calltrack-replicas");
        int pgPort = EmbeddedServices.freePort();
        postgres = EmbeddedServices.startPostgres(dir.resolve("postgres"), pgPort);
        redis = new RedisProcess(dir.resolve("redis"), EmbeddedServices.freePort());
        redis.start(true);
        poolFile = Files.writeString(dir.resolve("number-pool.yaml"), POOL_FILE);
        Map<String, String> env = Map.of("CALLTRACK_DB_URL", "postgresql://127.0.0.1:" + pgPort + "/postgres",
                "CALLTRACK_DB_USER", "postgres", "CALLTRACK_REDIS_URL", redis.url(), "CALLTRACK_POOL_FILE", poolFile.toString());
        a = new ServiceProcess(with(env, "a"), dir.resolve("a.log"), EmbeddedServices.freePort());
        b = new ServiceProcess(with(env, "b"), dir.resolve("b.log"), EmbeddedServices.freePort());
        a.start(HTTP);
        b.start(HTTP);
    }

    private static Map<String, String> with(Map<String, String> env, String name) {
        Map<String, String> out = new java.util.HashMap<>(env);
        out.put("CALLTRACK_DATA_DIR", dir.resolve("data-" + name).toString());
        return out;
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[]{a, b, redis, postgres}) {
            if (c != null) {
                c.close();
            }
        }
        for (String name : new String[]{"a", "b"}) { // kept for reading after the run
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
        String thirty = POOL_FILE.replace("(646) 700-0000..(646) 700-0009", "(646) 700-0000..(646) 700-0029");
        Files.writeString(poolFile, thirty);
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() ->
                send(a, "GET", "/v1/admin/config", null).body().contains("\"numbers\":30")
                        && send(b, "GET", "/v1/admin/config", null).body().contains("\"numbers\":30"));

        Files.writeString(poolFile, thirty + "\nnotAField: 1\n");
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() ->
                Files.readString(dir.resolve("a.log")).contains("number-pool.yaml changed but is not valid")
                        && Files.readString(dir.resolve("b.log")).contains("number-pool.yaml changed but is not valid"));
        assertTrue(send(a, "GET", "/v1/admin/config", null).body().contains("\"numbers\":30"));
        assertTrue(send(b, "GET", "/v1/admin/config", null).body().contains("\"numbers\":30"));
        Files.writeString(poolFile, POOL_FILE);
    }
}
