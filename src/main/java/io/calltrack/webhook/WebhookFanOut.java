package io.calltrack.webhook;

import io.calltrack.call.CallChanges;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Turns the call log's changes into deliveries: one per change and active subscription of the call's site to that
 * event, made before the change. Taking the changes and queueing their deliveries is one transaction, so a change
 * is queued once, by one replica, or stays in the feed for the next poll.
 */
@ApplicationScoped
class WebhookFanOut {

    /** Changes taken per transaction; a poll takes batches until the feed is empty. */
    static final int BATCH = 1_000;

    private static final String QUEUE = """
            INSERT INTO webhook_deliveries (webhook_id, event, call_id, occurred_at, next_attempt_at, retry_until)
            SELECT w.id, c.event, c.call_id, c.at, c.at, c.at + interval '24 hours'
            FROM unnest($1::bigint[], $2::text[], $3::text[], $4::timestamptz[]) WITH ORDINALITY AS c(call_id, site_key, event, at, n)
            JOIN webhooks w ON w.site_key = c.site_key AND w.active AND c.event = ANY (w.events) AND w.created_at <= c.at
            ORDER BY c.n, w.id""";

    private final Pool db;

    WebhookFanOut(Pool db) {
        this.db = db;
    }

    /** Every change in the feed now, queued; the number of changes taken. */
    Uni<Integer> run() {
        return db.withTransaction(this::batch).chain(taken -> taken < BATCH ? Uni.createFrom().item(taken)
                : run().map(more -> taken + more));
    }

    private Uni<Integer> batch(SqlConnection tx) {
        return CallChanges.take(tx, BATCH).chain(changes -> {
            if (changes.isEmpty()) {
                return Uni.createFrom().item(0);
            }
            Tuple params = Tuple.of(changes.stream().map(CallChanges.Change::callId).toArray(Long[]::new),
                    changes.stream().map(CallChanges.Change::siteKey).toArray(String[]::new),
                    changes.stream().map(CallChanges.Change::event).toArray(String[]::new),
                    changes.stream().map(c -> OffsetDateTime.ofInstant(c.occurredAt(), ZoneOffset.UTC)).toArray(OffsetDateTime[]::new));
            return tx.preparedQuery(QUEUE).execute(params).replaceWith(changes.size());
        });
    }
}
