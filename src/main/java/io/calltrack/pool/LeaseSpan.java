package io.calltrack.pool;

import io.calltrack.VisitIdTime;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.calltrack.Clocks.instant;
import static io.calltrack.Clocks.monthStart;

/** One number a visit held, from when to when: the call detail's timeline. */
@Schema(name = "LeaseSpan")
public record LeaseSpan(
        @Schema(examples = "+74951110002") String number,
        @Schema(description = "When the visit was first shown the number") Instant startedAt,
        @Schema(description = "Its last page view or ping, as logged (to within a minute)") Instant lastSeenAt,
        @Schema(description = "When the number went back to the pool; null while the visit holds it") Instant endedAt,
        @Schema(description = "Other visits held it at the same time (the pool ran out)", examples = "false") boolean shared) {

    private static final String OF_VISIT = "SELECT number, started_at, last_seen_at, ended_at, shared FROM leases WHERE session_id = $1";
    private static final String BETWEEN = OF_VISIT + " AND started_at >= $2 AND started_at < $3 ORDER BY started_at";

    /**
     * The leases of a visit, in the order it got them: from the month its id says it began in (its leases began
     * after it) and the later months the lease log entered for it, both between bounds the planner prunes months by;
     * from every month when its id tells no time or that finds none.
     */
    public static Uni<List<LeaseSpan>> ofVisit(Pool db, String sessionId) {
        Optional<OffsetDateTime> from = VisitIdTime.earliest(sessionId), to = VisitIdTime.monthsEnd(sessionId);
        Uni<List<LeaseSpan>> byId = from.isEmpty() || to.isEmpty() ? Uni.createFrom().item(List.of())
                : Uni.combine().all().unis(db.preparedQuery(BETWEEN).execute(Tuple.of(sessionId, from.get(), to.get())),
                        db.preparedQuery("SELECT min(month) AS first, max(month) AS last FROM visit_lease_months WHERE session_id = $1")
                                .execute(Tuple.of(sessionId))).asTuple()
                .chain(both -> {
                    List<LeaseSpan> own = spans(both.getItem1());
                    Row later = both.getItem2().iterator().next();
                    LocalDate first = later.getLocalDate("first");
                    if (first == null) {
                        return Uni.createFrom().item(own);
                    }
                    return db.preparedQuery(BETWEEN).execute(Tuple.of(sessionId, monthStart(YearMonth.from(first)),
                                    monthStart(YearMonth.from(later.getLocalDate("last")).plusMonths(1))))
                            .map(rows -> {
                                List<LeaseSpan> all = new ArrayList<>(own);
                                all.addAll(spans(rows));
                                return all;
                            });
                });
        return byId.chain(found -> found.isEmpty()
                ? db.preparedQuery(OF_VISIT + " ORDER BY started_at").execute(Tuple.of(sessionId)).map(LeaseSpan::spans)
                : Uni.createFrom().item(found));
    }

    private static List<LeaseSpan> spans(RowSet<Row> rows) {
        List<LeaseSpan> out = new ArrayList<>();
        rows.forEach(r -> out.add(of(r)));
        return out;
    }

    private static LeaseSpan of(Row r) {
        return new LeaseSpan(r.getString("number"), instant(r, "started_at"), instant(r, "last_seen_at"), instant(r, "ended_at"),
                r.getBoolean("shared"));
    }
}
