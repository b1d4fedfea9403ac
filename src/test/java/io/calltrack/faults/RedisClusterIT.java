package io.calltrack.faults;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged service on a Redis Cluster (three masters, three replicas, from Debian's redis-server): pools on
 * different masters all serve, the lease streams reach PostgreSQL, and a master killed under load fails over to its
 * replica, with its pool's visitors shown the site's own number meanwhile (not an error), the other masters' pools
 * serving throughout, and no number held by two visits at once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterIT {

    /** Small pools with a short hold, so numbers change hands within seconds and a lost lease would show as a double hold. */
    private static final Duration HOLD = Duration.ofSeconds(3);
    /** 20 page views a second per site: about 60 numbers of 100 held at once, each changing hands within seconds. */
    private static final long LOAD_EVERY_MS = 50;
    private static ClusterDrill drill;
    private static ServiceProcess service;

    @BeforeAll
    static void start() throws Exception {
        drill = new ClusterDrill(100, HOLD);
        service = drill.start("service", drill.clusterRedis());
    }

    @AfterAll
    static void stop() throws Exception {
        if (drill != null) {
            drill.close();
        }
    }

    private static HttpResponse<String> admin(String method, String path, String body) throws Exception {
        return drill.http.send(HttpRequest.newBuilder(URI.create(service.api() + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + ServiceProcess.ADMIN_KEY).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Order(1)
    void poolsOnEveryMasterServeAndTheirCallsAreAttributed() {
        assertEquals(ClusterDrill.SITES, new HashSet<>(drill.masters).size(), "one pool per master");
        for (int s = 0; s < ClusterDrill.SITES; s++) {
            List<String> numbers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                ClusterDrill.Visit v = drill.visit(service, s);
                assertEquals(200, v.status());
                assertTrue(v.leased(), "site" + s + " on master " + drill.masters.get(s) + ": " + v);
                numbers.add(v.number());
            }
            assertEquals(20, new HashSet<>(numbers).size(), "each live visit a number of its own: " + numbers);
        }
        // a call to a number a moment after the page view: the lease stream of that pool's master reached PostgreSQL
        ClusterDrill.Visit v = drill.visit(service, 2);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            HttpResponse<String> call = admin("POST", "/v1/calls/events", "{\"source\":\"cluster\",\"externalId\":\"" + UUID.randomUUID()
                    + "\",\"type\":\"start\",\"did\":\"" + v.number() + "\",\"caller\":\"+12125550199\"}");
            assertEquals(200, call.statusCode(), call.body());
            String detail = admin("GET", "/v1/calls/" + call.body().replaceAll("\\D+", ""), null).body();
            assertTrue(detail.contains(v.session()) && detail.contains("LIVE_LEASE"), detail);
        });
    }

    /**
     * A pool's hash slot moved to another master under load, key by key as resharding does: while its keys are split
     * between the two the client is sent on by ASK (or told to try again), afterwards by MOVED; visitors never see it.
     */
    @Test
    @Order(2)
    void aPoolWhoseSlotMovesToAnotherMasterUnderLoadKeepsLeasing() throws Exception {
        String key = "ct:{pool:" + drill.pools.get(1) + "}:";
        int from = drill.masters.get(1), to = drill.masters.get(2);
        Thread.sleep(HOLD.toMillis() + 500); // the leases of the tests before have run out
        List<ClusterDrill.Visit> all = drill.underLoad(service, LOAD_EVERY_MS, 2_000,
                soFar -> drill.cluster.moveSlot(drill.cluster.slotOf(key), from, to), 2_000);
        assertEquals(to, drill.cluster.masterOf(key), "the pool's slot is on its new master");
        Map<Integer, Long> statuses = new HashMap<>();
        all.forEach(v -> statuses.merge(v.status(), 1L, Long::sum));
        assertEquals(Map.of(200, (long) all.size()), statuses);
        List<ClusterDrill.Visit> moved = all.stream().filter(v -> v.site() == 1).toList();
        assertTrue(moved.stream().allMatch(ClusterDrill.Visit::leased),
                moved.stream().filter(v -> !v.leased()).count() + " of the moved pool's " + moved.size() + " page views got no lease");
        assertEquals(List.of(), ClusterDrill.doubleHolds(all, HOLD));
    }

    /**
     * The same slot moved back with the hand-over told to its old master half a second before its new one: meanwhile
     * neither serves it (each sends clients on to the other), and the client gives up after its redirects. Visitors of
     * that pool are shown the site's own number, not an error, and it leases again once the new master knows.
     */
    @Test
    @Order(3)
    void aSlotHandedOverOutOfOrderShowsTheSitesNumberNotAnError() throws Exception {
        String key = "ct:{pool:" + drill.pools.get(1) + "}:";
        int from = drill.cluster.masterOf(key), to = drill.masters.get(1);
        Thread.sleep(HOLD.toMillis() + 500);
        long[] movedAt = new long[1];
        List<ClusterDrill.Visit> all = drill.underLoad(service, LOAD_EVERY_MS, 1_000, soFar -> {
            drill.cluster.moveSlotOldMasterFirst(drill.cluster.slotOf(key), from, to, Duration.ofMillis(500));
            movedAt[0] = System.nanoTime();
        }, 2_000);
        assertEquals(to, drill.cluster.masterOf(key), "the pool's slot is back on its first master");
        System.out.printf("Redis Cluster slot handed over out of order (500 ms): %d of the pool's %d page views shown the site's own number%n",
                all.stream().filter(v -> v.site() == 1 && !v.leased()).count(), all.stream().filter(v -> v.site() == 1).count());
        Map<Integer, Long> statuses = new HashMap<>();
        all.forEach(v -> statuses.merge(v.status(), 1L, Long::sum));
        assertEquals(Map.of(200, (long) all.size()), statuses);
        for (ClusterDrill.Visit v : all) {
            if (!v.leased()) {
                assertEquals("+1212555010" + v.site(), v.number(), "a visit with no lease is shown the site's own number: " + v);
            }
        }
        assertTrue(all.stream().filter(v -> v.site() != 1).allMatch(ClusterDrill.Visit::leased), "other masters' pools kept leasing");
        assertTrue(all.stream().anyMatch(v -> v.site() == 1 && v.sentNanos() > movedAt[0] && v.leased()), "the moved pool leases again");
        assertEquals(List.of(), ClusterDrill.doubleHolds(all, HOLD));
    }

    @Test
    @Order(4)
    void aMasterKilledUnderLoadFailsOverAndNoNumberIsEverHeldByTwoVisits() throws Exception {
        Thread.sleep(HOLD.toMillis() + 500); // the leases of the tests before have run out
        ClusterDrill.Failover f = drill.killFirstMaster(service, LOAD_EVERY_MS, 4_000, 4_000);
        List<ClusterDrill.Visit> all = f.visits();
        System.out.printf("Redis Cluster failover: master %d killed, its pool leased again after %d ms (node timeout %d ms); "
                        + "%d page views of that pool meanwhile, %d shown the site's own number; %d page views in all%n",
                f.master(), f.millis(), RedisCluster.NODE_TIMEOUT_MS, f.during(0).size(),
                f.during(0).stream().filter(v -> !v.leased()).count(), all.size());

        Map<Integer, Long> statuses = new HashMap<>();
        all.forEach(v -> statuses.merge(v.status(), 1L, Long::sum));
        assertEquals(Map.of(200, (long) all.size()), statuses, "every page view answered 200, during the failover too");
        for (ClusterDrill.Visit v : all) {
            if (!v.leased()) {
                assertEquals("+1212555010" + v.site(), v.number(), "a visit with no lease is shown the site's own number: " + v);
            }
        }
        // the pools on the other masters went on leasing through the failover
        assertTrue(all.stream().filter(v -> v.site() != 0).allMatch(ClusterDrill.Visit::leased),
                "other masters' pools: " + all.stream().filter(v -> v.site() != 0 && !v.leased()).count() + " unleased");
        // no number handed to a second visit while the first still held it
        assertEquals(List.of(), ClusterDrill.doubleHolds(all, HOLD));
        assertTrue(f.millis() < 15_000, "failover took " + f.millis() + " ms");
    }
}
