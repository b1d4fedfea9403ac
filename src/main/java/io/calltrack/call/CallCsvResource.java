package io.calltrack.call;

import io.calltrack.auth.Caller;
import io.calltrack.auth.Requires;
import io.calltrack.auth.Role;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.calltrack.web.Params;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseHeader;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static io.calltrack.Clocks.utc;

/**
 * The call log as CSV for spreadsheets and BI tools: streamed page by page (keyset, {@value #PAGE} rows at a
 * time), so an export of millions of calls holds one page in memory and starts arriving at once.
 */
@Path("/v1/calls.csv")
@Tag(name = "Calls")
@Requires(Role.READ)
public class CallCsvResource {

    static final int PAGE = 1000;

    private final Pool db;
    private final Caller caller;
    private final Counter exported;

    CallCsvResource(Pool db, Caller caller, MeterRegistry metrics) {
        this.db = db;
        this.caller = caller;
        this.exported = metrics.counter("calltrack.calls.exported");
    }

    @GET
    @Produces("text/csv")
    @ResponseHeader(name = "Content-Disposition", value = "attachment; filename=\"calls.csv\"")
    // a file to download, not an operation for generated clients (they read JSON): described with listCalls
    @Operation(hidden = true)
    public Multi<String> export(@BeanParam CallFilter filter) {
        long cap = filter.limit == null ? Long.MAX_VALUE : Params.pageLimit(filter.limit);
        List<Object> filterArgs = new ArrayList<>();
        // a site key naming another site: 404, as absent as a site that does not exist
        String where = filter.where(filterArgs, caller.siteToRead(filter.site));
        if (filter.updatedSince != null) {
            where += " AND updated_at >= $" + CallFilter.add(filterArgs, utc(CallFilter.instant("updatedSince", filter.updatedSince)));
        }
        String conditions = where; // checked now, so a bad filter is a 400 before the first byte
        AtomicReference<CallCursor> after = new AtomicReference<>();
        AtomicLong left = new AtomicLong(cap);
        Multi<String> pages = Multi.createBy().repeating()
                .uni(() -> after, last -> left.get() <= 0 ? Uni.createFrom().item("")
                        : page(conditions, filterArgs, last, (int) Math.min(PAGE, left.get())).invoke(rows -> left.addAndGet(-rows.rows())).map(Page::csv))
                .until(String::isEmpty);
        return Multi.createBy().concatenating().streams(Multi.createFrom().item(CallCsv.HEADER), pages);
    }

    /** A page of the export: its CSV lines (empty when the export is done) and how many calls they are. */
    private record Page(String csv, int rows) {
    }

    /** The next page of at most {@code size} calls. */
    private Uni<Page> page(String where, List<Object> filterArgs, AtomicReference<CallCursor> after, int size) {
        List<Object> args = new ArrayList<>(filterArgs);
        return db.preparedQuery(CallLogResource.byStart(where, after.get(), size, args)).execute(Tuple.from(args)).map(rows -> {
            StringBuilder csv = new StringBuilder(rows.size() * 256);
            Row last = null;
            for (Row r : rows) {
                CallCsv.append(csv, r);
                last = r;
            }
            exported.increment(rows.size());
            if (last != null) {
                after.set(CallCursor.of(CallCursor.BY_START, last.getOffsetDateTime("started_at").toInstant(), last.getLong("id")));
            }
            return new Page(csv.toString(), rows.size());
        });
    }
}
