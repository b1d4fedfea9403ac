package io.calltrack.call;

import io.calltrack.config.ActiveConfig;
import io.calltrack.config.PoolSpec;
import io.calltrack.pool.PoolOdds;
import io.calltrack.pool.sizing.CallOdds;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.calltrack.Clocks.utc;

/**
 * Scores a call's probability again at each of {@link RevisionSchedule}'s times after its ring, with its pool's call
 * model as it is then; the visit it is attributed to stays. At ring time the model is the one fitted on the week
 * before, and in a pool's first days that is hours of calls: how late callers call is then barely known, and that
 * is what weighs a number's earlier holders against its latest. The calls that come later are what tells them apart:
 * on the accuracy bench's model, calls scored at ring time were right 13 to 16 points more often than they said between
 * 0.4 and 0.6 in a pool's first day, and scored again up to 72 hours later every band of 100 calls was within 2.1
 * points (README, "How accurate is it").
 * <p>
 * A revision that changes the probability moves the call's {@code updated_at}, so an incremental pull sees it; one that
 * moves it a point or more, or into another band, raises the {@code call.revised} webhook. Due
 * calls are claimed a batch at a time ({@code SKIP LOCKED}, a claim lapsing after {@link #CLAIM}), so replicas share
 * the work and a replica that stops mid-batch leaves its calls to the next run.
 */
@ApplicationScoped
public class ProbabilityReviser {

    private static final Logger LOG = Logger.getLogger(ProbabilityReviser.class);
    static final int BATCH = 500;
    private static final Duration CLAIM = Duration.ofMinutes(5);

    private final Pool db;
    private final ActiveConfig config;
    private final PoolOdds poolOdds;
    private final RevisionSchedule schedule;
    private final Clock clock;

    ProbabilityReviser(Pool db, ActiveConfig config, PoolOdds poolOdds, RevisionSchedule schedule, Clock clock) {
        this.db = db;
        this.config = config;
        this.poolOdds = poolOdds;
        this.schedule = schedule;
        this.clock = clock;
    }

    @Scheduled(every = "${calltrack.attribution.revise-every:1m}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return reviseDue(clock.instant()).replaceWithVoid().onFailure().recoverWithItem(e -> {
            LOG.warnf("call probabilities not revised this time (%s); the next run tries again", e.toString());
            return null;
        });
    }

    /** Revises every call due by {@code now}, a batch at a time; completes with how many were revised. */
    public Uni<Integer> reviseDue(Instant now) {
        return batch(now).chain(n -> n < BATCH ? Uni.createFrom().item(n) : reviseDue(now).map(more -> n + more));
    }

    private static final String CLAIM_DUE = """
            UPDATE calls c SET probability_revise_at = $2
            FROM (SELECT id FROM calls WHERE probability_revise_at <= $1 ORDER BY probability_revise_at LIMIT $3
                  FOR UPDATE SKIP LOCKED) due
            WHERE c.id = due.id
            RETURNING c.id, c.did, c.started_at, c.pool_id, c.session_id""";

    /**
     * A revised call: its new probability (null: kept) and when it is next due (null: final). A revision that moves the
     * probability a point or more, or into another band, raises {@code call.revised}, in the same statement.
     */
    private static final String REVISE = """
            WITH revised AS (
            UPDATE calls c SET probability = coalesce(u.probability, c.probability),
                   confidence = coalesce(u.confidence, c.confidence), probability_revise_at = u.next,
                   updated_at = CASE WHEN u.probability IS DISTINCT FROM c.probability AND u.probability IS NOT NULL
                                     THEN clock_timestamp() ELSE c.updated_at END
            FROM unnest($1::bigint[], $2::float8[], $3::text[], $4::timestamptz[]) AS u(id, probability, confidence, next)
            JOIN calls before ON before.id = u.id
            WHERE c.id = u.id
            RETURNING c.id, c.site_key, u.probability IS NOT NULL AND (before.probability IS NULL
                      OR abs(u.probability - before.probability) >= 0.01 OR u.confidence IS DISTINCT FROM before.confidence) AS moved),
            changes AS (""" + CallChanges.raise("revised", Map.of("call.revised", "r.moved")) + """
            ) SELECT count(*) FROM revised""";

    private record Due(long id, String did, Instant ringAt, PoolSpec pool, String sessionId) {
    }

    private Uni<Integer> batch(Instant now) {
        return db.preparedQuery(CLAIM_DUE).execute(Tuple.of(utc(now), utc(now.plus(CLAIM)), BATCH)).chain(rows -> {
            List<Due> due = new ArrayList<>();
            for (Row r : rows) {
                PoolSpec pool = config.pool(r.getString("pool_id")).filter(PoolSpec::isDynamic).orElse(null);
                due.add(new Due(r.getLong("id"), r.getString("did"), r.getOffsetDateTime("started_at").toInstant(), pool,
                        r.getString("session_id")));
            }
            List<Due> scored = due.stream().filter(d -> d.pool() != null && d.did() != null && d.sessionId() != null).toList();
            Uni<Map<Due, Double>> probabilities = scored.isEmpty() ? Uni.createFrom().item(Map.of())
                    : LeaseHolders.read(db, scored.stream().map(d -> new LeaseHolders.Ask(d.did(), d.ringAt(), d.pool().lateCallWindow())).toList())
                    .map(holders -> {
                        Map<Due, Double> p = new HashMap<>();
                        for (int k = 0; k < scored.size(); k++) {
                            Double q = probability(scored.get(k), holders.get(k));
                            if (q != null) {
                                p.put(scored.get(k), q);
                            }
                        }
                        return p;
                    });
            return probabilities.chain(p -> write(due, p, now)).replaceWith(due.size());
        });
    }

    /**
     * The attributed visit's probability with the pool's model now; null when its lease is no longer in the history.
     * Every lease here has its last activity logged (a lease live at the ring and since was on the page at it).
     */
    private Double probability(Due d, List<Row> rows) {
        List<CallOdds.Holder> candidates = new ArrayList<>();
        CallOdds.Holder chosen = null;
        for (Row r : rows) {
            CallOdds.Holder h = Attributor.atRing(r.getOffsetDateTime("started_at").toInstant(),
                    r.getOffsetDateTime("last_seen_at").toInstant(), d.ringAt());
            candidates.add(h);
            if (d.sessionId().equals(r.getString("session_id")) && (chosen == null || h.start().isAfter(chosen.start()))) {
                chosen = h;
            }
        }
        return chosen == null ? null : Attribution.rounded(poolOdds.of(d.pool()).probability(candidates, chosen, d.ringAt()));
    }

    /** {@code revised}: the new probability of each call that has one; the others keep theirs, for good. */
    private Uni<Void> write(List<Due> due, Map<Due, Double> revised, Instant now) {
        int n = due.size();
        Long[] id = new Long[n];
        Double[] probability = new Double[n];
        String[] confidence = new String[n];
        OffsetDateTime[] next = new OffsetDateTime[n];
        for (int k = 0; k < n; k++) {
            Due d = due.get(k);
            id[k] = d.id();
            probability[k] = revised.get(d);
            confidence[k] = probability[k] == null ? null : Attribution.band(probability[k]);
            next[k] = probability[k] == null ? null : utc(schedule.next(d.ringAt(), now));
        }
        return n == 0 ? Uni.createFrom().voidItem()
                : db.preparedQuery(REVISE).execute(Tuple.of(id, probability, confidence, next)).replaceWithVoid();
    }
}
