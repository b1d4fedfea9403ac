package io.calltrack.pool;

import io.calltrack.config.ActiveConfig;
import io.calltrack.config.PoolSpec;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.stream.ReactiveStreamCommands;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.XGroupCreateArgs;
import io.quarkus.redis.datasource.stream.XReadGroupArgs;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes the lease history that pool.lua logs to each pool's Redis stream into PostgreSQL, in batches,
 * off the request path. Entries are acknowledged only once written, so a PostgreSQL outage delays the
 * history but loses none of it; entries a dead replica had read are claimed by another after a while.
 */
@ApplicationScoped
public class LeaseLog {

    private static final Logger LOG = Logger.getLogger(LeaseLog.class);
    static final int BATCH = 2_000;
    private static final Duration CLAIM_AFTER = Duration.ofSeconds(30);

    private final ReactiveStreamCommands<String, String, String> streams;
    private final Pool db;
    private final ActiveConfig config;
    private final String consumer = "writer-" + UUID.randomUUID();

    LeaseLog(ReactiveRedisDataSource redis, Pool db, ActiveConfig config) {
        this.streams = redis.stream(String.class, String.class, String.class);
        this.db = db;
        this.config = config;
    }

    @Scheduled(every = "${calltrack.lease-log.flush-every:1s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> flushAll() {
        return Multi.createFrom().iterable(config.get().pools())
                .filter(PoolSpec::isDynamic)
                .onItem().transformToUniAndConcatenate(pool -> drain(pool.id())
                        .onFailure().recoverWithItem(e -> {
                            LOG.warnf("lease log of pool %s not written yet (%s); will retry", pool.id(), e.getMessage());
                            return 0;
                        }))
                .collect().last().replaceWithVoid();
    }

    /** Creates the pool's stream and its writers' group if Redis lacks them (new pool, or Redis lost). */
    Uni<Void> ensureGroup(String poolId) {
        return streams.xgroupCreate(PoolKeys.events(poolId), PoolKeys.WRITERS_GROUP, "0", new XGroupCreateArgs().mkstream())
                .onFailure(e -> String.valueOf(e.getMessage()).contains("BUSYGROUP")).recoverWithNull();
    }

    /** Writes everything logged for a pool so far; completes with the number of entries written. */
    public Uni<Integer> drain(String poolId) {
        return flushOnce(poolId).chain(n -> n < BATCH ? Uni.createFrom().item(n) : drain(poolId).map(m -> n + m));
    }

    private Uni<Integer> flushOnce(String poolId) {
        String key = PoolKeys.events(poolId);
        return streams.xautoclaim(key, PoolKeys.WRITERS_GROUP, consumer, CLAIM_AFTER, "0-0", BATCH)
                .map(claimed -> claimed.getMessages())
                .chain(claimed -> claimed.isEmpty()
                        ? streams.xreadgroup(PoolKeys.WRITERS_GROUP, consumer, key, ">", new XReadGroupArgs().count(BATCH))
                        : Uni.createFrom().item(claimed))
                .chain(messages -> messages.isEmpty() ? Uni.createFrom().item(0)
                        : write(messages).chain(() -> acknowledge(key, messages)))
                // Redis lost the group (restart, flush): recreate it; the stream's entries are read from its start
                .onFailure(e -> String.valueOf(e.getMessage()).startsWith("NOGROUP"))
                .recoverWithUni(() -> ensureGroup(poolId).replaceWith(0));
    }

    private Uni<Integer> acknowledge(String key, List<StreamMessage<String, String, String>> messages) {
        String[] ids = messages.stream().map(StreamMessage::id).toArray(String[]::new);
        return streams.xack(key, PoolKeys.WRITERS_GROUP, ids).chain(() -> streams.xdel(key, ids)).replaceWith(messages.size());
    }

    /** One upsert for the whole batch; entries of one lease are merged first (PostgreSQL wants each row once). */
    private Uni<Void> write(List<StreamMessage<String, String, String>> messages) {
        Map<String, LeaseRow> rows = new LinkedHashMap<>();
        for (StreamMessage<String, String, String> m : messages) {
            LeaseRow row = LeaseRow.of(m.key(), m.payload());
            rows.merge(row.sessionId() + "|" + row.number(), row, LeaseRow::merge);
        }
        int n = rows.size();
        String[] pool = new String[n], number = new String[n], session = new String[n], visitor = new String[n];
        Long[] started = new Long[n], seen = new Long[n], ended = new Long[n];
        Boolean[] shared = new Boolean[n];
        int i = 0;
        for (LeaseRow r : rows.values()) {
            pool[i] = r.poolId();
            number[i] = r.number();
            session[i] = r.sessionId();
            visitor[i] = r.visitorId();
            started[i] = r.startedMs();
            seen[i] = r.seenMs();
            ended[i] = r.endedMs();
            shared[i] = r.shared();
            i++;
        }
        return db.preparedQuery("""
                INSERT INTO leases (pool_id, number, session_id, visitor_id, started_at, last_seen_at, ended_at, shared)
                SELECT p, n, s, v, to_timestamp(st / 1000.0), to_timestamp(se / 1000.0),
                       to_timestamp(en / 1000.0), sh
                FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bool[])
                     AS t(p, n, s, v, st, se, en, sh)
                ON CONFLICT (session_id, number) DO UPDATE SET
                  last_seen_at = greatest(leases.last_seen_at, excluded.last_seen_at),
                  ended_at = coalesce(excluded.ended_at, leases.ended_at),
                  shared = leases.shared OR excluded.shared,
                  started_at = least(leases.started_at, excluded.started_at)""")
                .execute(Tuple.from(new Object[]{pool, number, session, visitor, started, seen, ended, shared}))
                .replaceWithVoid();
    }

    /** A lease as one stream entry (or several merged) tells it. */
    record LeaseRow(String poolId, String number, String sessionId, String visitorId, long startedMs, long seenMs,
                    Long endedMs, boolean shared) {

        /** Entry field d: kind|session|number|visitor|startMs|seenMs|endMs|shared (see pool.lua). */
        static LeaseRow of(String streamKey, Map<String, String> fields) {
            String poolId = streamKey.substring(streamKey.indexOf("{pool:") + 6, streamKey.indexOf('}'));
            String[] f = fields.get("d").split("\\|", -1);
            return new LeaseRow(poolId, f[2], f[1], f[3], Long.parseLong(f[4]), Long.parseLong(f[5]),
                    f[6].isEmpty() ? null : Long.valueOf(f[6]), "1".equals(f[7]));
        }

        LeaseRow merge(LeaseRow other) {
            Long end = endedMs;
            if (end == null || (other.endedMs != null && other.endedMs > end)) {
                end = other.endedMs;
            }
            return new LeaseRow(poolId, number, sessionId, visitorId, Math.min(startedMs, other.startedMs),
                    Math.max(seenMs, other.seenMs), end, shared || other.shared);
        }
    }
}
