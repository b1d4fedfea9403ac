package io.calltrack.pool;

import io.calltrack.config.ActiveConfig;
import io.calltrack.config.PoolSpec;
import io.calltrack.pool.Allocation.Outcome;
import io.calltrack.support.PoolFixture;
import io.calltrack.support.TestPoolFile;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.calltrack.pool.NumberAllocator.LeaseRequest;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static io.calltrack.support.Api.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pool survives losing Redis, and follows number-pool.yaml edits without cutting live leases. */
@QuarkusTest
class PoolRecoveryTest {

    @Inject
    NumberAllocator allocator;
    @Inject
    PoolFixture fixture;
    @Inject
    LeaseLog leaseLog;
    @Inject
    ReactiveRedisDataSource redis;
    @Inject
    ActiveConfig config;

    @AfterEach
    void restoreConfig() {
        TestPoolFile.restore();
        when().post("/v1/admin/config/reload").then().statusCode(200);
    }

    private Allocation allocate(PoolSpec pool, String session) {
        return allocator.allocate(pool, LeaseRequest.of(session, UUID.randomUUID().toString())).await().indefinitely();
    }

    @Test
    void redisFlushedMidRunRebuildsThePoolWithItsLiveLeases() {
        PoolSpec pool = fixture.fresh("lab-lru");
        String holder = UUID.randomUUID().toString();
        String held = allocate(pool, holder).number();
        leaseLog.drain(pool.id()).await().indefinitely();

        redis.execute("FLUSHDB").await().indefinitely();
        redis.execute("SCRIPT", "FLUSH").await().indefinitely();

        Allocation renewed = allocator.ping(pool, holder).await().indefinitely().orElseThrow();
        assertEquals(held, renewed.number(), "the live lease came back from PostgreSQL");
        Set<String> others = new HashSet<>();
        others.add(allocate(pool, UUID.randomUUID().toString()).number());
        others.add(allocate(pool, UUID.randomUUID().toString()).number());
        assertFalse(others.contains(held), "nobody else gets the held number");
        assertEquals(2, others.size());
        assertEquals(Outcome.DEFAULT, allocate(pool, UUID.randomUUID().toString()).outcome());
    }

    @Test
    void aDroppedRedisConnectionIsReplacedWithoutFailingTheNextAllocation() {
        PoolSpec pool = fixture.fresh("lab-lru");
        allocate(pool, UUID.randomUUID().toString());
        // many idle pooled connections, as after a busy minute: all of them die below
        Uni.join().all(IntStream.range(0, 200).mapToObj(i -> redis.execute("PING")).toList()).andFailFast()
                .await().indefinitely();

        // closes every connection of this service but the one asking (CLIENT KILL ID skips its caller), the
        // pipelined one among them, all at once as a restart would (one transaction); only those on this
        // service's database, so other programs using the machine's Redis keep theirs
        String db = field(redis.execute("CLIENT", "INFO").await().indefinitely().toString(), "db");
        List<String> ours = Arrays.stream(redis.execute("CLIENT", "LIST", "TYPE", "normal").await().indefinitely().toString().split("\n"))
                .filter(c -> !c.isBlank() && field(c, "db").equals(db)).map(c -> field(c, "id")).toList();
        redis.withTransaction(tx -> Uni.join().all(ours.stream().map(id -> tx.execute("CLIENT", "KILL", "ID", id)).toList())
                .andFailFast().replaceWithVoid()).await().indefinitely();

        for (int i = 0; i < 2; i++) { // the pool has three numbers
            assertTrue(allocate(pool, UUID.randomUUID().toString()).leased(), "allocation " + i + " after the drop");
        }
    }

    /** A field of a CLIENT LIST / CLIENT INFO line ("id=7 addr=... db=3 ..."). */
    private static String field(String client, String name) {
        for (String part : client.trim().split(" ")) {
            if (part.startsWith(name + "=")) {
                return part.substring(name.length() + 1);
            }
        }
        throw new IllegalArgumentException("no " + name + " in " + client);
    }

    @Test
    void removedNumberDrainsInsteadOfBeingCut() {
        PoolSpec pool = fixture.fresh("shop-rest");
        String last = "+442079460302";
        String a = UUID.randomUUID().toString(), b = UUID.randomUUID().toString(), c = UUID.randomUUID().toString();
        allocate(pool, a);
        allocate(pool, b);
        assertEquals(last, allocate(pool, c).number(), "third number goes to the third session");

        TestPoolFile.write(TestPoolFile.read().replace("020 7946 0300..020 7946 0302", "020 7946 0300..020 7946 0301"));
        when().post("/v1/admin/config/reload").then().statusCode(200);
        PoolSpec shrunk = config.pool("shop-rest").orElseThrow();
        assertEquals(2, shrunk.numbers().size());

        assertEquals(last, allocator.ping(shrunk, c).await().indefinitely().orElseThrow().number(),
                "the live lease on the removed number runs on");
        allocator.release(shrunk, c).await().indefinitely();
        allocator.release(shrunk, a).await().indefinitely();
        for (int i = 0; i < 3; i++) {
            Allocation next = allocate(shrunk, UUID.randomUUID().toString());
            assertNotEquals(last, next.number(), "a drained number is never issued again");
        }
    }

    @Test
    void addedNumberJoinsTheFreeSet() {
        PoolSpec pool = fixture.fresh("lab-one");
        allocate(pool, UUID.randomUUID().toString());
        assertEquals(Outcome.DEFAULT, allocate(pool, UUID.randomUUID().toString()).outcome());

        TestPoolFile.write(TestPoolFile.read().replace("numbers: [\"(212) 555-0101\"]", "numbers: [\"(212) 555-0101\", \"(212) 555-0102\"]"));
        when().post("/v1/admin/config/reload").then().statusCode(200);

        assertEquals("+12125550102", allocate(config.pool("lab-one").orElseThrow(), UUID.randomUUID().toString()).number());
    }
}
