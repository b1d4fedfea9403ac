package io.calltrack.call;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The call log's change feed (table {@code call_changes}): a row for each event a change to a call raises
 * (call.started, call.completed, ...), written by the very statement that changes the call, so a change and its
 * events commit together or not at all. Followers (webhooks) take the rows out, oldest first; the call log does not
 * know who they are.
 */
public final class CallChanges {

    private static final String TAKE = """
            DELETE FROM call_changes WHERE id IN (SELECT id FROM call_changes ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
            RETURNING id, call_id, site_key, event, occurred_at""";

    private static final String OLDEST = """
            SELECT coalesce((SELECT extract(epoch FROM now() - occurred_at) FROM call_changes ORDER BY id LIMIT 1), 0)::float8 AS age""";

    private CallChanges() {
    }

    /** One event of one call's change. */
    public record Change(long id, long callId, String siteKey, String event, Instant occurredAt) {
    }

    /**
     * An INSERT to run as a data-modifying CTE after {@code rows}, a CTE of changed calls (with id and site_key):
     * {@code events} maps each event name to the SQL condition, over the row alias {@code r}, that says it happened.
     */
    static String raise(String rows, Map<String, String> events) {
        String values = events.entrySet().stream()
                .map(e -> "('" + e.getKey() + "', " + e.getValue() + ")")
                .collect(Collectors.joining(", "));
        return "INSERT INTO call_changes (call_id, site_key, event) "
                + "SELECT r.id, r.site_key, e.event FROM " + rows + " r "
                + "CROSS JOIN LATERAL (VALUES " + values + ") AS e(event, happened) WHERE e.happened";
    }

    /**
     * Takes up to {@code limit} of the oldest changes out of the feed within {@code tx}: gone when it commits, back
     * when it rolls back. Followers taking at once get different rows (SKIP LOCKED); each row reaches one of them.
     */
    public static Uni<List<Change>> take(SqlConnection tx, int limit) {
        return tx.preparedQuery(TAKE).execute(Tuple.of(limit)).map(rows -> {
            List<Change> changes = new ArrayList<>();
            for (Row r : rows) {
                changes.add(new Change(r.getLong("id"), r.getLong("call_id"), r.getString("site_key"), r.getString("event"),
                        r.getOffsetDateTime("occurred_at").toInstant()));
            }
            changes.sort(Comparator.comparingLong(Change::id)); // RETURNING keeps no order
            return changes;
        });
    }

    /** How long the oldest change has waited in the feed, in seconds (0 when it is empty): a follower that stopped shows here. */
    public static Uni<Double> oldestWaitingSeconds(Pool db) {
        return db.query(OLDEST).execute().map(rows -> rows.iterator().next().getDouble("age"));
    }
}
