package io.calltrack.telephony;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two replicas, one PBX: one listens; when it stops renewing, the other takes over within the lease time. */
@QuarkusTest
class PbxLockTest {

    @Inject
    RedisDataSource redis;

    @Test
    void oneHolderAtATimeAndTakeoverAfterTheHolderDies() throws InterruptedException {
        String pbx = "lock-test-" + System.nanoTime();
        PbxLock a = new PbxLock(redis, Duration.ofSeconds(2));
        PbxLock b = new PbxLock(redis, Duration.ofSeconds(2));
        assertTrue(a.hold(pbx));
        for (int i = 0; i < 5; i++) { // a renews for 3 s, longer than the lease: b never gets it
            assertFalse(b.hold(pbx));
            Thread.sleep(a.renewEvery().toMillis());
            assertTrue(a.hold(pbx));
        }
        assertEquals(a.replica(), a.holder(pbx));

        Instant died = Instant.now(); // a stops renewing
        while (!b.hold(pbx)) {
            Thread.sleep(b.renewEvery().toMillis());
        }
        Duration takeover = Duration.between(died, Instant.now());
        assertTrue(takeover.compareTo(Duration.ofMillis(2000 + 700)) < 0, "took " + takeover);
        assertFalse(a.hold(pbx), "the old holder does not get it back while b renews");

        b.release(pbx);
        assertTrue(a.hold(pbx), "a released lease is free at once");
        a.release(pbx);
    }
}
