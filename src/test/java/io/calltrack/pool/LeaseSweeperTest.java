package io.calltrack.pool;

import io.calltrack.config.ActiveConfig;
import io.calltrack.support.TestClock;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.redis.datasource.stream.XAddArgs;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class LeaseSweeperTest {

    @Inject
    NumberAllocator allocator;
    @Inject
    ActiveConfig config;
    @Inject
    ReactiveRedisDataSource redis;
    @Inject
    TestClock clock;
    @Inject
    Scheduler scheduler;

    @Test
    void aLeaseLogItsWriterCannotKeepUpWithIsTrimmedToTheConfiguredLength() {
        // a pool no configuration names, so no writer drains its log while the test fills it
        String events = PoolKeys.events("trim-" + System.nanoTime());
        for (int i = 0; i < 2_000; i++) {
            redis.stream(String.class).xadd(events, new XAddArgs(), Map.of("d", "entry " + i)).await().indefinitely();
        }
        LeaseSweeper sweeper = new LeaseSweeper(allocator, config, redis, clock, scheduler, 500, Duration.ofSeconds(1), Duration.ofMillis(100));

        sweeper.trimLog(events).await().indefinitely();

        long kept = redis.stream(String.class).xlen(events).await().indefinitely();
        // trimmed by whole stream nodes (about 100 entries each): a little more than asked may stay
        assertTrue(kept >= 500 && kept < 700, "kept " + kept + " of 2000");
        String oldest = redis.stream(String.class).xrange(events, StreamRange.of("-", "+"), 1)
                .await().indefinitely().get(0).payload().get("d");
        assertEquals("entry " + (2_000 - kept), oldest, "the oldest entries went");
        redis.key(String.class).del(events).await().indefinitely();
    }
}
