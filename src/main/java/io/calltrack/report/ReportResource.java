package io.calltrack.report;

import io.calltrack.auth.Caller;
import io.calltrack.auth.Requires;
import io.calltrack.auth.Role;
import io.calltrack.call.CallView;
import io.calltrack.config.ActiveConfig;
import io.calltrack.web.Params;
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
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Path("/v1/reports")
@Tag(name = "Reports")
@Produces(MediaType.APPLICATION_JSON)
@Requires(Role.READ)
public class ReportResource {

    private final Pool db;
    private final Caller caller;
    private final ActiveConfig config;

    ReportResource(Pool db, Caller caller, ActiveConfig config) {
        this.db = db;
        this.caller = caller;
        this.config = config;
    }

    /** The channel report for a date range. */
    @Schema(name = "ChannelReport")
    public record ChannelReport(@Schema(examples = "2026-11-01") LocalDate from, @Schema(examples = "2026-11-30") LocalDate to,
                                @Schema(description = "null: every site the key sees", examples = "demo") String site,
                                @Schema(description = "The IANA time zone the days were cut in", examples = "Europe/Moscow") String timezone,
                                List<String> groupBy, List<ChannelRow> rows, ChannelRow total) {
    }

    @GET
    @Path("/sources")
    @Operation(operationId = "getChannelReport", summary = "Calls, revenue, cost and ROMI by channel",
            description = "Per channel over the days from..to (inclusive, UTC): visits, calls, unique and first-time "
                    + "callers, answered and missed calls, average talk time, leads, deals and revenue (from call "
                    + "outcomes), spend (from POST /v1/spend), cost per call, per lead and per customer, and "
                    + "ROMI = (revenue - spend) / spend. Spend is known by source, medium and campaign, so grouping "
                    + "by keyword or landing page reports it as null. Amounts are summed as recorded: keep one currency.")
    @APIResponse(responseCode = "200", description = "The report, largest channels first",
            content = @Content(schema = @Schema(implementation = ChannelReport.class)))
    @APIResponse(responseCode = "400", description = "Bad dates or grouping")
    public Uni<ChannelReport> sources(
            @Parameter(schema = @Schema(type = SchemaType.STRING, format = "date"), description = "First day", required = true, example = "2026-11-01") @QueryParam("from") String from,
            @Parameter(schema = @Schema(type = SchemaType.STRING, format = "date"), description = "Last day", required = true, example = "2026-11-30") @QueryParam("to") String to,
            @Parameter(description = "Comma-separated: source, medium, campaign, keyword, landing, day (the local day, "
                    + "for a chart over time: day,source)", example = "source,medium")
            @QueryParam("groupBy") @DefaultValue("source") String groupBy,
            @Parameter(description = "Site key (a key limited to one site always gets its own)", example = "demo")
            @QueryParam("site") String site,
            @Parameter(description = "IANA time zone the days are cut in (default: the site's timezone in number-pool.yaml, "
                    + "UTC across sites)", example = "Europe/Moscow") @QueryParam("tz") String tz) {
        List<ChannelQuery.Dimension> dims = ChannelQuery.dimensions(groupBy);
        ReportRange range = ReportRange.of(from, to, tz, site, caller, config);
        LocalDate first = range.first(), last = range.last();
        String scope = range.site();
        ZoneId zone = range.zone();
        Tuple args = Tuple.of(range.start(), range.end(), scope, first, last);
        if (ChannelQuery.byDay(dims)) {
            args.addString(zone.getId());
        }
        return db.preparedQuery(ChannelQuery.sql(dims)).execute(args).map(rows -> {
            List<ChannelRow> out = new ArrayList<>();
            for (Row r : rows) {
                Map<String, String> channel = new LinkedHashMap<>();
                for (int i = 0; i < dims.size(); i++) {
                    String v = r.getString("g" + i);
                    channel.put(dims.get(i).name, v == null || v.isEmpty() ? null : v);
                }
                out.add(row(channel, r));
            }
            return new ChannelReport(first, last, scope, zone.getId(), dims.stream().map(d -> d.name).toList(), out, total(out, dims));
        });
    }

    private static ChannelRow row(Map<String, String> channel, Row r) {
        return ChannelRow.of(channel, r.getLong("sessions"), r.getLong("calls"), r.getLong("unique_callers"),
                r.getLong("first_time_callers"), r.getLong("answered"), r.getLong("missed"), r.getBigDecimal("avg_talk"),
                r.getLong("leads"), r.getLong("deals"), r.getBigDecimal("revenue"), r.getBigDecimal("spend"));
    }

    /** Sums over channels; unique callers are summed too, so a caller reached by two channels counts twice. */
    private static ChannelRow total(List<ChannelRow> rows, List<ChannelQuery.Dimension> dims) {
        long answered = rows.stream().mapToLong(ChannelRow::answered).sum();
        BigDecimal talk = answered == 0 ? null : rows.stream()
                .filter(r -> r.averageTalkSeconds() != null)
                .map(r -> r.averageTalkSeconds().multiply(BigDecimal.valueOf(r.answered())))
                .reduce(BigDecimal.ZERO, BigDecimal::add).divide(BigDecimal.valueOf(answered), 1, java.math.RoundingMode.HALF_UP);
        boolean spendKnown = dims.stream().allMatch(d -> d.hasSpend);
        return ChannelRow.of(null, rows.stream().mapToLong(ChannelRow::sessions).sum(), rows.stream().mapToLong(ChannelRow::calls).sum(),
                rows.stream().mapToLong(ChannelRow::uniqueCallers).sum(), rows.stream().mapToLong(ChannelRow::firstTimeCallers).sum(),
                answered, rows.stream().mapToLong(ChannelRow::missed).sum(), talk,
                rows.stream().mapToLong(ChannelRow::leads).sum(), rows.stream().mapToLong(ChannelRow::deals).sum(),
                rows.stream().map(ChannelRow::revenue).reduce(BigDecimal.ZERO, BigDecimal::add),
                spendKnown ? rows.stream().map(r -> r.spend() == null ? BigDecimal.ZERO : r.spend()).reduce(BigDecimal.ZERO, BigDecimal::add) : null);
    }

    /** A caller whose calls went unanswered and who has not got through since. */
    @Schema(name = "MissedCaller")
    public record MissedCaller(@Schema(examples = "+79161234567") String caller,
                               @Schema(description = "Unanswered calls since their last answered one", examples = "2") long missedCalls,
                               @Schema(description = "The latest missed call, with its attribution") CallView lastCall) {
    }

    @GET
    @Path("/missed")
    @Operation(operationId = "listMissedCallers", summary = "Missed calls to call back",
            description = "Callers whose calls in the range ended unanswered and who have not had an answered call "
                    + "since, nor an outcome recorded by the CRM; latest first. Outbound calls are not seen by the "
                    + "listener, so a callback counts once the CRM records the outcome.")
    @APIResponse(responseCode = "200", description = "Callers to call back",
            content = @Content(schema = @Schema(implementation = MissedCaller[].class)))
    @APIResponse(responseCode = "400", description = "Bad dates")
    public Uni<List<MissedCaller>> missed(
            @Parameter(schema = @Schema(type = SchemaType.STRING, format = "date"), description = "First day", required = true, example = "2026-11-01") @QueryParam("from") String from,
            @Parameter(schema = @Schema(type = SchemaType.STRING, format = "date"), description = "Last day", required = true, example = "2026-11-30") @QueryParam("to") String to,
            @Parameter(description = "Site key", example = "demo") @QueryParam("site") String site,
            @Parameter(description = "Callers per page", schema = @Schema(type = SchemaType.INTEGER, format = "int32", minimum = "1",
                    maximum = "1000", defaultValue = "200")) @QueryParam("limit") @DefaultValue("200") int limit,
            @Parameter(description = "IANA time zone the days are cut in (default: the site's timezone in number-pool.yaml, "
                    + "UTC across sites)", example = "Europe/Moscow") @QueryParam("tz") String tz) {
        ReportRange range = ReportRange.of(from, to, tz, site, caller, config);
        Params.pageLimit(limit);
        return db.preparedQuery("""
                SELECT * FROM (
                  SELECT DISTINCT ON (m.caller) m.*, count(*) OVER (PARTITION BY m.caller) AS missed_calls
                  FROM calls m
                  WHERE m.answered_at IS NULL AND m.ended_at IS NOT NULL AND m.caller IS NOT NULL AND m.outcome_status IS NULL
                    AND m.started_at >= $1 AND m.started_at < $2 AND ($3::text IS NULL OR m.site_key = $3)
                    AND NOT EXISTS (SELECT 1 FROM calls a WHERE a.caller = m.caller AND a.started_at > m.started_at
                                    AND (a.answered_at IS NOT NULL OR a.outcome_status IS NOT NULL))
                  ORDER BY m.caller, m.started_at DESC) latest
                ORDER BY started_at DESC LIMIT $4""")
                .execute(Tuple.of(range.start(), range.end(), range.site(), limit))
                .map(rows -> {
                    List<MissedCaller> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new MissedCaller(r.getString("caller"), r.getLong("missed_calls"), CallView.of(r))));
                    return out;
                });
    }

}
