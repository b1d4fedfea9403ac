package io.calltrack.pool;

import io.calltrack.VisitIdTime;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.calltrack.Clocks.instant;

/** One number a visit held, from when to when: the call detail's timeline. */
@Schema(name = "LeaseSpan")
public record LeaseSpan(
        @Schema(examples = "+74951110002") String number,
        @Schema(description = "When the visit was first shown the number") Instant startedAt,
        @Schema(description = "Its last page view or ping, as logged (to within a minute)") Instant lastSeenAt,
        @Schema(description = "When the number went back to the pool; null while the visit holds it") Instant endedAt,
        @Schema(description = "Other visits held it at the same time (the pool ran out)", examples = "false") boolean shared) {

    /**
     * The leases of a visit, in the order it got them: from the month its id says it began on (its leases began
     * after it), or from every month when its id tells no time or that finds none.
     */
    public static Uni<List<LeaseSpan>> ofVisit(Pool db, String sessionId) {
        String sql = "SELECT number, started_at, last_seen_at, ended_at, shared FROM leases WHERE session_id = $1";
        Optional<OffsetDateTime> from = VisitIdTime.earliest(sessionId);
        Uni<RowSet<Row>> inMonth = from.isEmpty() ? Uni.createFrom().nullItem()
                : db.preparedQuery(sql + " AND started_at >= $2 ORDER BY started_at").execute(Tuple.of(sessionId, from.get()));
        return VisitIdTime.orEveryMonth(inMonth, () -> db.preparedQuery(sql + " ORDER BY started_at").execute(Tuple.of(sessionId)))
                .map(rows -> {
                    List<LeaseSpan> out = new ArrayList<>();
                    rows.forEach(r -> out.add(of(r)));
                    return out;
                });
    }

    private static LeaseSpan of(Row r) {
        return new LeaseSpan(r.getString("number"), instant(r, "started_at"), instant(r, "last_seen_at"), instant(r, "ended_at"),
                r.getBoolean("shared"));
    }
}
