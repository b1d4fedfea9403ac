package io.calltrack.pool;

import io.calltrack.Clocks;
import io.calltrack.VisitIdTime;
import io.calltrack.config.ActiveConfig;
import io.calltrack.config.PoolSpec;
import io.calltrack.redis.StreamBatches;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.calltrack.Background;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Writes the lease history that pool.lua logs to each pool's Redis stream (and the visit records riding
 * on it) into PostgreSQL, in batches, off the request path. Entries are acknowledged only once written,
 * so a PostgreSQL outage delays the history but loses none of it.
 */
@ApplicationScoped
public class LeaseLog {

    private final StreamBatches batches;
    private final Pool db;
    private final ActiveConfig config;
    private final VisitSink visits;
    /** Per pool: the drain running, and the one waiting to start after it. */
    private static final class Drains {
        CompletableFuture<Integer> running = CompletableFuture.completedFuture(0);
        CompletableFuture<Integer> next;
    }

    private final ConcurrentMap<String, Drains> drains = new ConcurrentHashMap<>();

    LeaseLog(StreamBatches batches, Pool db, ActiveConfig config, VisitSink visits) {
        this.batches = batches;
        this.db = db;
        this.config = config;
        this.visits = visits;
    }

    @Scheduled(every = "${calltrack.lease-log.flush-every:1s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> flushAll() {
        return Background.eachInTurn(config.get().dynamicPools(),
                pool -> drain(pool.id()), "lease log of pool", PoolSpec::id).replaceWithVoid();
    }

    Uni<Void> ensureGroup(String poolId) {
        return batches.ensureGroup(PoolKeys.events(poolId));
    }

    /**
     * Writes everything logged for a pool so far; completes with the number of entries written. Drains of
     * one pool run one after another: a drain that started while the background flush was still writing
     * entries it had read must wait for that commit, or a caller (attribution) would not see them. Callers
     * that come while a drain runs share the one that starts after it (it reads all they need), so a burst
     * of calls costs two drains, not one each.
     */
    public Uni<Integer> drain(String poolId) {
        // Entries leave the stream only once stored (StreamBatches deletes after the commit): an empty stream
        // means everything logged so far is in PostgreSQL, and one XLEN spares the wait for a drain.
        return batches.isEmpty(PoolKeys.events(poolId)).chain(empty -> empty ? Uni.createFrom().item(0) : drainInTurn(poolId));
    }

    private Uni<Integer> drainInTurn(String poolId) {
        return Uni.createFrom().deferred(() -> {
            Drains d = drains.computeIfAbsent(poolId, id -> new Drains());
            CompletableFuture<Integer> mine;
            CompletableFuture<Integer> previous;
            synchronized (d) {
                if (d.next != null) {
                    return Uni.createFrom().completionStage(d.next);
                }
                mine = new CompletableFuture<>();
                d.next = mine;
                previous = d.running;
            }
            previous.whenComplete((ignored, failure) -> {
                synchronized (d) {
                    d.next = null;
                    d.running = mine;
                }
                batches.drain(PoolKeys.events(poolId), this::write).subscribe()
                        .with(mine::complete, mine::completeExceptionally);
            });
            return Uni.createFrom().completionStage(mine);
        });
    }

    /** Visits first, then one upsert for all leases; entries of one lease are merged first (PostgreSQL wants each row once). */
    private Uni<Void> write(List<StreamMessage<String, String, String>> messages) {
        Map<String, LeaseRow> rows = new LinkedHashMap<>();
        List<VisitSink.Visit> visitRecords = new ArrayList<>();
        for (StreamMessage<String, String, String> m : messages) {
            String d = m.payload().get("d");
            List<LeaseRow> lines = LeaseRow.allOf(m.key(), d);
            String visit = m.payload().get("j");
            if (visit != null) {
                // a visit's record rides on the entry that starts its first lease, whose line is the entry's last:
                // that lease is the number it was shown (none when the pool had no number for it)
                LeaseRow shown = d != null && d.startsWith("start|", d.lastIndexOf('\n') + 1) ? lines.get(lines.size() - 1) : null;
                visitRecords.add(new VisitSink.Visit(visit, shown == null ? null : shown.poolId(), shown == null ? null : shown.number()));
            }
            for (LeaseRow row : lines) {
                rows.merge(row.sessionId() + "|" + row.number() + "|" + row.startedMs(), row, LeaseRow::merge);
            }
        }
        return db.withTransaction(tx -> (visitRecords.isEmpty() ? Uni.createFrom().voidItem() : visits.store(tx, visitRecords))
                .chain(() -> rows.isEmpty() ? Uni.createFrom().voidItem() : upsertLeases(tx, rows.values()))
                .chain(() -> laterMonths(tx, rows.values())));
    }

    /**
     * The months after its visit's own that leases of this batch began in (rare: a page open across a month's end,
     * or for weeks), so that a visit's leases can be read from its own month and these alone (see {@link LeaseSpan}).
     */
    private static Uni<Void> laterMonths(SqlClient tx, Collection<LeaseRow> leases) {
        Set<Map.Entry<String, LocalDate>> later = new LinkedHashSet<>();
        for (LeaseRow r : leases) {
            VisitIdTime.monthsEnd(r.sessionId()).filter(end -> r.startedMs() >= end.toInstant().toEpochMilli())
                    .ifPresent(end -> later.add(Map.entry(r.sessionId(),
                            YearMonth.from(Clocks.utc(Instant.ofEpochMilli(r.startedMs()))).atDay(1))));
        }
        if (later.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String[] session = later.stream().map(Map.Entry::getKey).toArray(String[]::new);
        LocalDate[] month = later.stream().map(Map.Entry::getValue).toArray(LocalDate[]::new);
        return tx.preparedQuery("INSERT INTO visit_lease_months (session_id, month) SELECT * FROM unnest($1::text[], $2::date[]) "
                + "ON CONFLICT DO NOTHING").execute(Tuple.of(session, month)).replaceWithVoid();
    }

    /**
     * Lines of one lease may come in any order and more than once: each row (a session's hold of a number from
     * its start, which every line carries) takes the latest activity, the end once known, and is shared once any
     * line says so.
     */
    static final String UPSERT = """
                INSERT INTO leases (pool_id, number, session_id, visitor_id, started_at, last_seen_at, ended_at, shared)
                SELECT p, n, s, v, to_timestamp(st / 1000.0), to_timestamp(se / 1000.0),
                       to_timestamp(en / 1000.0), sh
                FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bool[])
                     AS t(p, n, s, v, st, se, en, sh)
                ON CONFLICT (session_id, number, started_at) DO UPDATE SET
                  last_seen_at = greatest(leases.last_seen_at, excluded.last_seen_at),
                  ended_at = coalesce(excluded.ended_at, leases.ended_at),
                  shared = leases.shared OR excluded.shared""";

    private Uni<Void> upsertLeases(SqlClient tx, Collection<LeaseRow> leases) {
        int n = leases.size();
        String[] pool = new String[n], number = new String[n], session = new String[n], visitor = new String[n];
        Long[] started = new Long[n], seen = new Long[n], ended = new Long[n];
        Boolean[] shared = new Boolean[n];
        int i = 0;
        for (LeaseRow r : leases) {
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
        return tx.preparedQuery(UPSERT)
                .execute(Tuple.from(new Object[]{pool, number, session, visitor, started, seen, ended, shared}))
                .replaceWithVoid();
    }
    /** A lease as one line of a stream entry (or several merged) tells it. */
    record LeaseRow(String poolId, String number, String sessionId, String visitorId, long startedMs, long seenMs,
                    Long endedMs, boolean shared) {

        /** Entry field d: lines of kind|session|number|visitor|startMs|seenMs|endMs|shared (see pool.lua). */
        static List<LeaseRow> allOf(String streamKey, String d) {
            if (d == null) {
                return List.of();
            }
            String poolId = streamKey.substring(streamKey.indexOf("{pool:") + 6, streamKey.indexOf('}'));
            List<LeaseRow> rows = new ArrayList<>(2);
            for (String line : d.split("\n")) {
                rows.add(of(poolId, line));
            }
            return rows;
        }

        private static LeaseRow of(String poolId, String line) {
            String[] f = line.split("\\|", -1);
            return new LeaseRow(poolId, f[2], f[1], f[3], Long.parseLong(f[4]), Long.parseLong(f[5]),
                    f[6].isEmpty() ? null : Long.valueOf(f[6]), "1".equals(f[7]));
        }

        LeaseRow merge(LeaseRow other) {
            Long end = endedMs;
            if (end == null || (other.endedMs != null && other.endedMs > end)) {
                end = other.endedMs;
            }
            return new LeaseRow(poolId, number, sessionId, visitorId, startedMs, Math.max(seenMs, other.seenMs), end,
                    shared || other.shared);
        }
    }
}
