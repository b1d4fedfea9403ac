package io.calltrack.pool;

import io.calltrack.Background;
import io.calltrack.config.ActiveConfig;
import io.calltrack.config.PoolSpec;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.stream.XTrimArgs;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.time.Duration;

/**
 * Returns expired leases to their pools even when no visitor arrives to trigger it, so a number's
 * release time (its LRU rank) and the lease history's end are exact, and rebuilds a pool Redis has lost
 * within {@code calltrack.lease-sweep-retry-after} of Redis coming back (a failed sweep is tried again that
 * often until the next scheduled one), so the admin view and the first visitors see it whole. Safe on
 * every replica at once: each reclaim is one atomic script call.
 */
@ApplicationScoped
class LeaseSweeper {

    private final NumberAllocator allocator;
    private final ActiveConfig config;
    private final ReactiveRedisDataSource redis;
    private final Clock clock;
    /**
     * Bounds each pool's lease-log stream if its writer falls far behind (entries are deleted once written).
     * Trimmed here rather than in pool.lua: a trim there would cost every allocation time.
     */
    private final long logMaxLength;
    /** A sweep that failed (Redis down) is tried again this often until the next scheduled one. */
    private final Duration retryAfter;
    private final int tries;
    /** Paused first thing in a stop ({@code OrderlyStop}): a sweep's retries end with it. */
    private final Scheduler scheduler;

    LeaseSweeper(NumberAllocator allocator, ActiveConfig config, ReactiveRedisDataSource redis, Clock clock, Scheduler scheduler,
                 @ConfigProperty(name = "calltrack.lease-log.max-length", defaultValue = "1000000") long logMaxLength,
                 @ConfigProperty(name = "calltrack.lease-sweep-every", defaultValue = "1s") Duration every,
                 @ConfigProperty(name = "calltrack.lease-sweep-retry-after", defaultValue = "100ms") Duration retryAfter) {
        this.allocator = allocator;
        this.config = config;
        this.redis = redis;
        this.clock = clock;
        this.scheduler = scheduler;
        this.logMaxLength = logMaxLength;
        this.retryAfter = retryAfter;
        this.tries = (int) Math.max(1, every.toMillis() / Math.max(1, retryAfter.toMillis()));
    }

    @Scheduled(every = "${calltrack.lease-sweep-every:1s}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        return Background.againWhileFailing(() -> Background.eachInTurn(
                        config.get().dynamicPools(),
                        this::sweep, "reclaiming expired leases of pool", PoolSpec::id), retryAfter, tries, scheduler::isRunning)
                .replaceWithVoid();
    }

    private Uni<Void> sweep(PoolSpec pool) {
        return allocator.reclaimExpired(pool)
                .call(() -> dropOldLimitWindows(pool))
                .call(() -> trimLog(PoolKeys.events(pool.id())));
    }

    /** Drops a lease log's oldest entries beyond the configured length (by whole stream nodes: cheap). */
    Uni<Long> trimLog(String events) {
        return redis.stream(String.class).xtrim(events, new XTrimArgs().maxlen(logMaxLength).nearlyExactTrimming());
    }

    /** Rate-limit counters are per minute; the two before the last are of no use any more. */
    private Uni<Integer> dropOldLimitWindows(PoolSpec pool) {
        long minute = clock.millis() / 60_000;
        return redis.key(String.class).del(PoolKeys.limits(pool.id(), minute - 2), PoolKeys.limits(pool.id(), minute - 3));
    }
}
