package io.calltrack.pool;

import io.calltrack.config.ConfigApplied;
import io.calltrack.config.PoolSpec;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Keeps each dynamic pool's live state in Redis in line with PostgreSQL: numbers added to the config
 * join the free set (ranked by when they were last released, so LRU survives a Redis restart), removed
 * or quarantined ones are blocked (a live lease on one runs out, it is not cut), and a pool Redis has
 * lost is rebuilt with its live leases before it serves again.
 */
@ApplicationScoped
public class PoolState {

    private static final Logger LOG = Logger.getLogger(PoolState.class);
    private static final int SYNC_CHUNK = 2_000;
    private static final int RESTORE_CHUNK = 500;

    private final Pool db;
    private final PoolScript script;
    private final LeaseLog leaseLog;
    private final ReactiveRedisDataSource redis;
    private final Clock clock;
    private final ConcurrentMap<String, Uni<Void>> rebuilds = new ConcurrentHashMap<>();

    PoolState(Pool db, PoolScript script, LeaseLog leaseLog, ReactiveRedisDataSource redis, Clock clock) {
        this.db = db;
        this.redis = redis;
        this.script = script;
        this.leaseLog = leaseLog;
        this.clock = clock;
    }

    void onConfigApplied(@ObservesAsync ConfigApplied applied) {
        for (PoolSpec pool : applied.file().pools()) {
            if (pool.isDynamic()) {
                sync(pool).await().indefinitely();
            }
        }
    }

    /** Brings one number's Redis state in line with its state in PostgreSQL (admin changes). */
    Uni<Void> syncNumber(PoolSpec pool, String number, PoolNumber.State state) {
        return script.run(pool, "sync", clock.millis(),
                List.of("more", number, state == PoolNumber.State.ACTIVE ? "A" : "B", "0")).replaceWithVoid();
    }

    /**
     * Brings Redis in line with the pool's numbers in PostgreSQL; idempotent. A number's release is its last
     * lease's end in whichever pool (a moved number's last holder's callers still call it), found by the
     * number's index alone: with the pool in the condition too, a leases table whose statistics lag its
     * rows (filled since the last analyze) was read through the pool's index for every number, 3 s for a
     * pool of 10,000 numbers against 30 ms (psql, EXPLAIN ANALYZE).
     */
    public Uni<Void> sync(PoolSpec pool) {
        return leaseLog.ensureGroup(pool.id())
                .chain(() -> db.preparedQuery("""
                        SELECT n.number, n.state,
                               (SELECT l.ended_at FROM leases l
                                WHERE l.number = n.number AND coalesce(l.ended_at, 'infinity') < 'infinity'
                                ORDER BY coalesce(l.ended_at, 'infinity') DESC LIMIT 1) AS released
                        FROM pool_numbers n
                        WHERE n.pool_id = $1""").execute(Tuple.of(pool.id())))
                .chain(rows -> redis.set(String.class).smembers(PoolKeys.known(pool.id())).map(inRedis -> {
                    List<String> triples = new ArrayList<>();
                    Set<String> known = new HashSet<>();
                    for (Row row : rows) {
                        OffsetDateTime released = row.getOffsetDateTime("released");
                        known.add(row.getString("number"));
                        triples.add(row.getString("number"));
                        triples.add("ACTIVE".equals(row.getString("state")) ? "A" : "B");
                        triples.add(released == null ? "0" : Long.toString(released.toInstant().toEpochMilli()));
                    }
                    // a number moved to another pool must stop being issued from this one
                    inRedis.stream().filter(n -> !known.contains(n)).forEach(n -> triples.addAll(List.of(n, "B", "0")));
                    return triples;
                }))
                .chain(triples -> sendSync(pool, triples));
    }

    /**
     * Rebuilds a pool Redis no longer has: live leases from PostgreSQL first (so their numbers are not
     * handed out twice), then the numbers. Concurrent callers share one rebuild.
     */
    Uni<Void> rebuild(PoolSpec pool) {
        return rebuilds.computeIfAbsent(pool.id(), id -> {
            LOG.warnf("pool %s is missing from Redis; rebuilding it from PostgreSQL", id);
            return restoreLiveLeases(pool).chain(() -> sync(pool))
                    .eventually(() -> {
                        rebuilds.remove(id); // a block: remove() returns a Uni, which eventually() would await
                    })
                    .memoize().indefinitely();
        });
    }

    private Uni<Void> restoreLiveLeases(PoolSpec pool) {
        return db.preparedQuery("""
                SELECT session_id, number, visitor_id, started_at, last_seen_at, shared FROM leases
                WHERE pool_id = $1 AND ended_at IS NULL""").execute(Tuple.of(pool.id()))
                .chain(rows -> {
                    List<String> args = new ArrayList<>();
                    for (Row row : rows) {
                        args.addAll(List.of(row.getString("session_id"), row.getString("number"),
                                row.getString("visitor_id"),
                                Long.toString(row.getOffsetDateTime("started_at").toInstant().toEpochMilli()),
                                Long.toString(row.getOffsetDateTime("last_seen_at").toInstant().toEpochMilli()),
                                row.getBoolean("shared") ? "1" : "0"));
                    }
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (int from = 0; from < args.size(); from += RESTORE_CHUNK * 6) {
                        List<String> chunk = args.subList(from, Math.min(args.size(), from + RESTORE_CHUNK * 6));
                        chain = chain.chain(() -> script.run(pool, "restore", clock.millis(), chunk).replaceWithVoid());
                    }
                    return chain;
                })
                // leases whose end was lost with Redis: they ended when their hold ran out
                .chain(() -> db.preparedQuery("""
                        UPDATE leases SET ended_at = last_seen_at + make_interval(secs => $2 / 1000.0)
                        WHERE pool_id = $1 AND ended_at IS NULL
                          AND last_seen_at + make_interval(secs => $2 / 1000.0) < now()""")
                        .execute(Tuple.of(pool.id(), pool.hold().toMillis())).replaceWithVoid());
    }

    private Uni<Void> sendSync(PoolSpec pool, List<String> triples) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        int step = SYNC_CHUNK * 3;
        for (int from = 0; from < triples.size() || from == 0; from += step) {
            int to = Math.min(triples.size(), from + step);
            List<String> args = new ArrayList<>(to - from + 1);
            args.add(to >= triples.size() ? "last" : "more");
            args.addAll(triples.subList(from, to));
            chain = chain.chain(() -> script.run(pool, "sync", clock.millis(), args).replaceWithVoid());
        }
        return chain;
    }
}
