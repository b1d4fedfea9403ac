package io.calltrack.call;

import io.calltrack.DbSessions;
import io.calltrack.auth.Caller;
import io.calltrack.pool.LeaseSpan;
import io.calltrack.session.VisitView;
import io.calltrack.auth.Requires;
import io.calltrack.auth.Role;
import io.calltrack.web.ApiException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.ArrayList;
import java.util.List;

import static io.calltrack.Clocks.utc;

/** The call log as CRMs and BI tools read it. */
@Path("/v1/calls")
@Requires(Role.READ)
@Tag(name = "Calls", description = "The call log")
@Produces(MediaType.APPLICATION_JSON)
public class CallLogResource {

    /**
     * How far an incremental sync may read: a transaction still running may yet commit changes stamped before
     * any later one. Up to the start of the oldest transaction in progress, every change is committed: reading
     * no further, in a statement run after this one, a client's cursor never passes a change that has not
     * landed yet. Changes are stamped with clock_timestamp() while their statement runs (V8), after their
     * transaction shows here; a transaction's own start (now()) is taken a moment before it does, which let a
     * change slip behind a cursor now and then. Only client sessions count (autovacuum writes no rows), and
     * of those left idle in a transaction only the ones that have written (they have a transaction id): one
     * that has only read (a BI tool, a psql session left open) can stamp nothing earlier than its next
     * statement, and an aborted one can commit nothing. A session idle in a transaction that has written
     * holds syncs back until it ends. Transactions that write no calls say so by their name ({@link DbSessions}).
     */
    public static final String SYNC_HORIZON = """
            SELECT least(now(), min(xact_start)) AS horizon FROM pg_stat_activity
            WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()
              AND xact_start IS NOT NULL AND state <> 'idle in transaction (aborted)'
              AND NOT (state = 'idle in transaction' AND backend_xid IS NULL)
              AND application_name <> '""" + DbSessions.NO_CALL_WRITES + "'";

    private final Pool db;
    private final Caller caller;

    CallLogResource(Pool db, Caller caller) {
        this.db = db;
        this.caller = caller;
    }

    @GET
    @Operation(operationId = "listCalls", summary = "List calls",
            description = "Newest ring time first, in pages (follow nextCursor). With updatedSince: every call created "
                    + "or changed since then, oldest change first, ordered by (updatedAt, id) so a client that follows "
                    + "nextCursor sees each change once even while calls keep changing; a change shows up once it and every write that began before it have committed. "
                    + "The same filters give a CSV file to download at GET /v1/calls.csv (newest ring first, every matching call, "
                    + "or at most limit; UTF-8, RFC 4180; text a spreadsheet would run as a formula gets a leading apostrophe; "
                    + "errors are problem+json as here).")
    @APIResponse(responseCode = "200", description = "A page of calls",
            content = @Content(schema = @Schema(implementation = CallPage.class)))
    @APIResponse(responseCode = "400", description = "A filter is malformed")
    public Uni<CallPage> list(@BeanParam CallFilter filter) {
        List<Object> args = new ArrayList<>();
        // a site key naming another site: 404, as absent as a site that does not exist
        String sql = pageSql(filter, caller.siteToRead(filter.site), args);
        if (!filter.isSync()) {
            return page(filter, sql, args, false);
        }
        return db.query(SYNC_HORIZON).execute().chain(h -> {
            args.add(h.iterator().next().getOffsetDateTime("horizon"));
            return page(filter, sql, args, true);
        });
    }

    /**
     * The SQL of one page for {@code filter}, its parameters appended to {@code args}; an incremental-sync
     * page takes one more, last: the horizon {@link #SYNC_HORIZON} gives.
     */
    static String pageSql(CallFilter filter, String site, List<Object> args) {
        int size = filter.pageSize();
        String where = filter.where(args, site);
        if (!filter.isSync()) {
            return byStart(where, filter.cursor == null ? null : CallCursor.decode(filter.cursor, CallCursor.BY_START), size, args);
        }
        String after;
        if (filter.cursor != null) {
            CallCursor c = CallCursor.decode(filter.cursor, CallCursor.BY_UPDATE);
            after = "(updated_at, id) > ($" + CallFilter.add(args, c.at()) + ", $" + CallFilter.add(args, c.id()) + ")";
        } else {
            after = "updated_at >= $" + CallFilter.add(args, utc(CallFilter.instant("updatedSince", filter.updatedSince)));
        }
        return "SELECT * FROM calls WHERE " + where + " AND " + after + " AND updated_at < $" + (args.size() + 1)
                + " ORDER BY updated_at, id LIMIT " + size;
    }

    private Uni<CallPage> page(CallFilter filter, String sql, List<Object> args, boolean sync) {
        return db.preparedQuery(sql).execute(Tuple.from(args)).map(rows -> {
            List<CallView> items = new ArrayList<>();
            rows.forEach(r -> items.add(CallView.of(r)));
            return new CallPage(items, next(filter, items, filter.pageSize(), sync));
        });
    }

    /** A page of calls matching {@code where}, newest ring first, after {@code after} (null: from the newest). */
    static String byStart(String where, CallCursor after, int size, List<Object> args) {
        String before = after == null ? "TRUE"
                : "(started_at, id) < ($" + CallFilter.add(args, after.at()) + ", $" + CallFilter.add(args, after.id()) + ")";
        return "SELECT * FROM calls WHERE " + where + " AND " + before + " ORDER BY started_at DESC, id DESC LIMIT " + size;
    }

    /** Ring-time pages end; a sync position is always returned, to resume from later. */
    private static String next(CallFilter filter, List<CallView> items, int size, boolean sync) {
        if (!items.isEmpty() && (sync || items.size() == size)) {
            CallView last = items.get(items.size() - 1);
            return sync ? CallCursor.of(CallCursor.BY_UPDATE, last.updatedAt(), last.id()).encode()
                    : CallCursor.of(CallCursor.BY_START, last.startedAt(), last.id()).encode();
        }
        if (sync) {
            return filter.cursor != null ? filter.cursor
                    : CallCursor.of(CallCursor.BY_UPDATE, CallFilter.instant("updatedSince", filter.updatedSince), 0).encode();
        }
        return null;
    }

    /** A call with the visit it was attributed to. */
    public record CallDetail(CallView call,
                             @Schema(description = "The visit the call was attributed to; null when none (or its record is "
                                     + "not written yet)") VisitView session,
                             @Schema(description = "The numbers that visit held, from when to when") List<LeaseSpan> timeline) {
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getCall", summary = "One call, with its visit",
            description = "The call, the visit it was attributed to (landing page, referrer, utm, click ids) and the numbers that visit held.")
    @APIResponse(responseCode = "200", description = "The call",
            content = @Content(schema = @Schema(implementation = CallDetail.class)))
    @APIResponse(responseCode = "404", description = "No such call")
    public Uni<CallDetail> get(@PathParam("id") long id) {
        return db.preparedQuery("SELECT * FROM calls WHERE id = $1").execute(Tuple.of(id)).chain(rows -> {
            // another site's call is as absent as a call that never was
            if (rows.size() == 0 || !caller.sees(rows.iterator().next().getString("site_key"))) {
                throw ApiException.notFound("no call " + id);
            }
            CallView call = CallView.of(rows.iterator().next());
            String session = call.attribution().sessionId();
            if (session == null) {
                return Uni.createFrom().item(new CallDetail(call, null, List.of()));
            }
            return Uni.combine().all().unis(VisitView.read(db, session), LeaseSpan.ofVisit(db, session))
                    .with((visit, timeline) -> new CallDetail(call, visit.orElse(null), timeline));
        });
    }
}
