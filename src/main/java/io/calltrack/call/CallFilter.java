package io.calltrack.call;

import io.calltrack.web.ApiException;
import io.calltrack.web.Dates;
import io.calltrack.web.Params;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import static io.calltrack.Clocks.utc;

/** The filters of the call log, as query parameters, turned into a WHERE clause. */
public class CallFilter {

    static final int DEFAULT_PAGE = 100;
    static final Set<String> DISPOSITIONS = Set.of("IN_PROGRESS", "ANSWERED", "NO_ANSWER", "BUSY", "ABANDONED", "FAILED");
    static final Set<String> METHODS = Set.of("LIVE_LEASE", "RECENT_LEASE", "SHARED_LEASE", "STATIC_POOL", "UNATTRIBUTED");

    @QueryParam("from") @Parameter(schema = @Schema(type = SchemaType.STRING, format = "date-time"), description = "Calls that rang at or after this instant (ISO 8601)", example = "2026-11-01T00:00:00Z")
    public String from;
    @QueryParam("to") @Parameter(schema = @Schema(type = SchemaType.STRING, format = "date-time"), description = "Calls that rang before this instant (ISO 8601)", example = "2026-12-01T00:00:00Z")
    public String to;
    @QueryParam("pbx") @Parameter(description = "The PBX that saw the call (an ingest source: ingest:NAME)", example = "office")
    public String pbx;
    @QueryParam("site") @Parameter(description = "Site key", example = "demo")
    public String site;
    @QueryParam("pool") @Parameter(description = "Number pool id", example = "demo-visits")
    public String pool;
    @QueryParam("source") @Parameter(example = "google")
    public String source;
    @QueryParam("medium") @Parameter(example = "cpc")
    public String medium;
    @QueryParam("campaign") @Parameter(example = "drains")
    public String campaign;
    @QueryParam("keyword") @Parameter(example = "blocked drain")
    public String keyword;
    @QueryParam("did") @Parameter(description = "Tracking number dialled, E.164", example = "+74951110002")
    public String did;
    @QueryParam("caller") @Parameter(description = "Caller number, E.164", example = "+79161234567")
    public String caller;
    @QueryParam("disposition") @Parameter(description = "What became of the call", schema = @Schema(type = SchemaType.STRING,
            enumeration = {"IN_PROGRESS", "ANSWERED", "NO_ANSWER", "BUSY", "ABANDONED", "FAILED"}))
    public String disposition;
    @QueryParam("method") @Parameter(description = "How the call was attributed", schema = @Schema(type = SchemaType.STRING,
            enumeration = {"LIVE_LEASE", "RECENT_LEASE", "SHARED_LEASE", "STATIC_POOL", "UNATTRIBUTED"}))
    public String method;
    @QueryParam("repeat") @Parameter(description = "true: repeat callers only; false: first-time callers only")
    public Boolean repeat;
    @QueryParam("answered") @Parameter(description = "true: answered calls only; false: calls nobody answered")
    public Boolean answered;
    @QueryParam("updatedSince") @Parameter(schema = @Schema(type = SchemaType.STRING, format = "date-time"), description = "Incremental sync: calls created or changed at or after this "
            + "instant, oldest change first (ISO 8601). Then follow nextCursor.", example = "2026-11-23T00:00:00Z")
    public String updatedSince;
    @QueryParam("cursor") @Parameter(description = "nextCursor of the previous page")
    public String cursor;
    @QueryParam("limit") @Parameter(description = "Page size (the CSV download: at most this many rows; omitted, every matching call)",
            schema = @Schema(type = SchemaType.INTEGER, format = "int32", minimum = "1", maximum = "1000", defaultValue = "100"))
    public Integer limit;

    /**
     * Conditions on the calls table with positional parameters, appended to {@code args}; {@code site} is the one
     * site to read (the caller's {@code Caller.siteToRead} of this filter's site; null: every site).
     */
    String where(List<Object> args, String site) {
        List<String> and = new ArrayList<>();
        equal(and, args, "site_key", site);
        Instant fromAt = instant("from", from);
        Instant toAt = instant("to", to);
        if (fromAt != null) {
            and.add("started_at >= $" + add(args, utc(fromAt)));
        }
        if (toAt != null) {
            and.add("started_at < $" + add(args, utc(toAt)));
        }
        equal(and, args, "pbx", pbx);
        equal(and, args, "pool_id", pool);
        equal(and, args, "source", source);
        equal(and, args, "medium", medium);
        equal(and, args, "campaign", campaign);
        equal(and, args, "keyword", keyword);
        equal(and, args, "did", did);
        equal(and, args, "caller", caller);
        equal(and, args, "disposition", oneOf("disposition", disposition, DISPOSITIONS));
        equal(and, args, "attribution_method", oneOf("method", method, METHODS));
        if (repeat != null) {
            and.add("repeat_caller = $" + add(args, repeat));
        }
        if (answered != null) {
            and.add(answered ? "answered_at IS NOT NULL" : "answered_at IS NULL AND ended_at IS NOT NULL");
        }
        return and.isEmpty() ? "TRUE" : String.join(" AND ", and);
    }

    /** An incremental sync: ordered by change, not ring time. */
    boolean isSync() {
        return updatedSince != null || (cursor != null && CallCursor.kindOf(cursor) == CallCursor.BY_UPDATE);
    }

    int pageSize() {
        return Params.pageLimit(limit == null ? DEFAULT_PAGE : limit);
    }

    static Instant instant(String field, String value) {
        return Dates.instant(field, value);
    }

    private static String oneOf(String field, String value, Set<String> allowed) {
        if (value == null) {
            return null;
        }
        String v = value.toUpperCase(Locale.ROOT);
        if (!allowed.contains(v)) {
            throw ApiException.badField(field, field + " must be one of " + new TreeSet<>(allowed));
        }
        return v;
    }

    private static void equal(List<String> and, List<Object> args, String column, String value) {
        if (value != null && !value.isEmpty()) {
            and.add(column + " = $" + add(args, value));
        }
    }

    static int add(List<Object> args, Object value) {
        args.add(value);
        return args.size();
    }
}
