package io.calltrack.report;

import io.calltrack.auth.Caller;
import io.calltrack.auth.Requires;
import io.calltrack.auth.Role;
import io.calltrack.config.ActiveConfig;
import io.calltrack.web.ApiException;
import io.calltrack.web.Text;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The channel figures that add up, per day, from the daily table the service keeps: fast over any range. */
@Path("/v1/reports/daily")
@Tag(name = "Reports")
@Produces(MediaType.APPLICATION_JSON)
@Requires(Role.READ)
public class DailyReportResource {

    private static final List<String> DIMENSIONS = List.of("source", "medium", "campaign");
    /** Groupings read from the terms table, one at a time. */
    private static final List<String> TERMS = List.of("keyword", "landing");

    private final Pool db;
    private final Caller caller;
    private final ActiveConfig config;

    DailyReportResource(Pool db, Caller caller, ActiveConfig config) {
        this.db = db;
        this.caller = caller;
        this.config = config;
    }

    @Schema(name = "DailyRow")
    public record DailyRow(@Schema(description = "null when perDay=false", examples = "2026-11-03") LocalDate day,
                           @Schema(description = "The grouping's values ('' or absent: none)", examples = "{\"source\": \"yandex\"}") Map<String, String> channel,
                           @Schema(description = "Visits (bots excluded)", examples = "412") long sessions,
                           @Schema(examples = "23") long calls, @Schema(examples = "19") long answered, @Schema(examples = "3") long missed,
                           @Schema(description = "Talk time of the answered calls, seconds in all", examples = "2890") long talkSeconds,
                           @Schema(description = "Callers whose first call ever this was", examples = "17") long firstTimeCallers,
                           @Schema(examples = "9") long leads, @Schema(examples = "4") long deals,
                           @Schema(examples = "36000.00") BigDecimal revenue,
                           @Schema(description = "Ad spend recorded for the day and channel; null: none", examples = "3000.00") BigDecimal spend) {
    }

    @Schema(name = "DailyReport")
    public record DailyReport(@Schema(examples = "2026-11-01") LocalDate from, @Schema(examples = "2026-11-30") LocalDate to,
                              @Schema(description = "null: every site the key sees", examples = "demo") String site,
                              List<String> groupBy,
                              @Schema(description = "When the daily table last took in changes (it does every calltrack.reports.refresh-every, 30 s)",
                                      examples = "2026-11-30T09:41:30Z") Instant refreshedAt, List<DailyRow> rows) {
    }

    @GET
    @Operation(operationId = "getDailyReport", summary = "Calls, visits, outcomes and spend per day and channel",
            description = "The figures that add up (visits, calls, answered, missed, talk time, first-time callers, leads, "
                    + "deals, revenue, spend) per day from..to and channel, read from a daily table the service keeps up to "
                    + "date in the background (within calltrack.reports.refresh-every): fast over months of a large call log. "
                    + "Days are each site's own (its timezone in number-pool.yaml). For unique callers, groupings that combine a "
                    + "keyword or landing page with others, and other time zones, GET /v1/reports/sources reads the calls themselves.")
    @APIResponse(responseCode = "200", description = "Rows by day, largest channels first within a day",
            content = @Content(schema = @Schema(implementation = DailyReport.class)))
    @APIResponse(responseCode = "400", description = "Bad dates or grouping")
    public Uni<DailyReport> daily(
            @Parameter(schema = @Schema(type = SchemaType.STRING, format = "date"), description = "First day", required = true, example = "2026-11-01") @QueryParam("from") String from,
            @Parameter(schema = @Schema(type = SchemaType.STRING, format = "date"), description = "Last day", required = true, example = "2026-11-30") @QueryParam("to") String to,
            @Parameter(description = "Comma-separated, any of source, medium, campaign; or keyword, or landing (the page without its query string), "
                    + "alone (no spend is known by them); 'none' for days only", example = "source")
            @QueryParam("groupBy") @DefaultValue("source") String groupBy,
            @Parameter(description = "Site key (a key limited to one site always gets its own)", example = "demo") @QueryParam("site") String site,
            @Parameter(description = "false: one row per channel summed over the range (day null), for a table", example = "true")
            @QueryParam("perDay") @DefaultValue("true") boolean perDay) {
        ReportRange range = ReportRange.of(from, to, null, site, caller, config);
        LocalDate first = range.first(), last = range.last();
        List<String> dims = dimensions(groupBy);
        String scope = range.site();
        // keywords and landing pages have a table of their own, where the value is a term of a kind, and no spend
        boolean terms = dims.size() == 1 && TERMS.contains(dims.get(0));
        List<String> keys = new ArrayList<>(), exprs = new ArrayList<>();
        if (perDay) {
            keys.add("day");
            exprs.add("day");
        }
        for (String d : dims) {
            keys.add(d);
            exprs.add(terms ? "term AS " + d : d);
        }
        String select = exprs.isEmpty() ? "" : String.join(", ", exprs) + ", ";
        String grouped = keys.isEmpty() ? "" : " GROUP BY " + String.join(", ", keys);
        String where = " WHERE day >= $1 AND day <= $2 AND ($3::text IS NULL OR site_key = $3)";
        String sql = "WITH r AS (SELECT " + select + "sum(sessions) AS sessions, sum(calls) AS calls, sum(answered) AS answered,"
                + " sum(missed) AS missed, sum(talk_seconds) AS talk, sum(first_time) AS first_time, sum(leads) AS leads,"
                + " sum(deals) AS deals, sum(revenue) AS revenue FROM " + (terms ? "report_day_terms" : "report_days")
                + where + (terms ? " AND kind = '" + dims.get(0) + "'" : "") + grouped + "),"
                + (terms ? " p AS (SELECT NULL::numeric AS spend)"
                        : " p AS (SELECT " + (keys.isEmpty() ? "" : String.join(", ", keys) + ", ") + "sum(amount) AS spend FROM spend"
                        + where + grouped + ")")
                + " SELECT *, (SELECT refreshed_at FROM report_days_state) AS refreshed_at FROM r "
                + (keys.isEmpty() || terms ? "CROSS JOIN p" : "FULL JOIN p USING (" + String.join(", ", keys) + ")")
                + " ORDER BY " + (perDay ? "day, " : "") + "calls DESC NULLS LAST, sessions DESC NULLS LAST";
        return db.preparedQuery(sql).execute(Tuple.of(first, last, scope)).map(rows -> {
            List<DailyRow> out = new ArrayList<>();
            Instant refreshed = null;
            for (Row r : rows) {
                refreshed = r.getOffsetDateTime("refreshed_at") == null ? null : r.getOffsetDateTime("refreshed_at").toInstant();
                Map<String, String> channel = new LinkedHashMap<>();
                dims.forEach(d -> channel.put(d, r.getString(d) == null || r.getString(d).isEmpty() ? null : r.getString(d)));
                out.add(new DailyRow(perDay ? r.getLocalDate("day") : null, channel, n(r, "sessions"), n(r, "calls"), n(r, "answered"), n(r, "missed"),
                        n(r, "talk"), n(r, "first_time"), n(r, "leads"), n(r, "deals"),
                        r.getBigDecimal("revenue") == null ? BigDecimal.ZERO : r.getBigDecimal("revenue"), r.getBigDecimal("spend")));
            }
            return new DailyReport(first, last, scope, dims, refreshed, out);
        });
    }

    private static long n(Row r, String column) {
        Long v = r.getLong(column);
        return v == null ? 0 : v;
    }

    static List<String> dimensions(String groupBy) {
        List<String> dims = new ArrayList<>();
        if (groupBy.trim().equalsIgnoreCase("none")) {
            return dims;
        }
        for (String part : groupBy.split(",")) {
            String d = part.trim().toLowerCase(Locale.ROOT);
            if (TERMS.contains(d) && groupBy.split(",").length == 1) {
                return List.of(d);
            }
            if (!DIMENSIONS.contains(d)) {
                throw ApiException.badField("groupBy", "groupBy takes source, medium, campaign (comma-separated), keyword or landing "
                        + "(alone), or none, not '"
                        + Text.printable(part.trim()) + "'");
            }
            if (!dims.contains(d)) {
                dims.add(d);
            }
        }
        return dims;
    }
}
