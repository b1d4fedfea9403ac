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
                              @Schema(description = "The zone the range's days are cut in; null: each site's own", examples = "Asia/Tokyo") String timezone,
                              @Schema(description = "When the daily table last took in changes (it does every calltrack.reports.refresh-every, 30 s)",
                                      examples = "2026-11-30T09:41:30Z") Instant refreshedAt,
                              @Schema(description = "The channels in order (with limit, the largest ones)") List<DailyRow> rows,
                              @Schema(description = "With limit: the channels past it summed (per day when perDay), channel null; "
                                      + "rows and others add up to every channel") List<DailyRow> others,
                              @Schema(description = "How many channels others sums", examples = "1834") long otherChannels) {
    }

    @GET
    @Operation(operationId = "getDailyReport", summary = "Calls, visits, outcomes and spend per day and channel",
            description = "The figures that add up (visits, calls, answered, missed, talk time, first-time callers, leads, "
                    + "deals, revenue, spend) per day from..to and channel, read from a daily table the service keeps up to "
                    + "date in the background (within calltrack.reports.refresh-every): fast over months of a large call log. "
                    + "Days are each site's own (its timezone in number-pool.yaml); with tz and perDay=false, the range is cut in "
                    + "that zone instead (whole site-days from the table, the hours at either end from the calls). For unique "
                    + "callers, groupings that combine a keyword or landing page with others, and days of another time zone, "
                    + "GET /v1/reports/sources reads the calls themselves.")
    @APIResponse(responseCode = "200", description = "Rows by day, largest channels first within a day",
            content = @Content(schema = @Schema(implementation = DailyReport.class)))
    @APIResponse(responseCode = "400", description = "Bad dates, grouping, time zone or limit")
    public Uni<DailyReport> daily(
            @Parameter(schema = @Schema(type = SchemaType.STRING, format = "date"), description = "First day", required = true, example = "2026-11-01") @QueryParam("from") String from,
            @Parameter(schema = @Schema(type = SchemaType.STRING, format = "date"), description = "Last day", required = true, example = "2026-11-30") @QueryParam("to") String to,
            @Parameter(description = "Comma-separated, any of source, medium, campaign; or keyword, or landing (the page without its query string), "
                    + "alone (no spend is known by them); 'none' for days only", example = "source")
            @QueryParam("groupBy") @DefaultValue("source") String groupBy,
            @Parameter(description = "Site key (a key limited to one site always gets its own)", example = "demo") @QueryParam("site") String site,
            @Parameter(description = "false: one row per channel summed over the range (day null), for a table", example = "true")
            @QueryParam("perDay") @DefaultValue("true") boolean perDay,
            @Parameter(description = "IANA zone to cut the range's first and last day in (perDay=false); default: each site's own",
                    example = "Asia/Tokyo") @QueryParam("tz") String tz,
            @Parameter(description = "Keep the largest channels only (by calls, then visits, over the range), 1 to 10000; "
                    + "the rest are summed in others", schema = @Schema(minimum = "1", maximum = "10000"), example = "100")
            @QueryParam("limit") Integer limit) {
        ReportRange range = ReportRange.of(from, to, tz, site, caller, config);
        if (limit != null && (limit < 1 || limit > 10_000)) {
            throw ApiException.badField("limit", "limit must be 1 to 10000");
        }
        List<String> dims = dimensions(groupBy);
        boolean terms = dims.size() == 1 && TERMS.contains(dims.get(0));
        Slices slices = tz == null || tz.isBlank() ? null : Slices.of(range, config);
        if (slices != null && perDay && !slices.edges().isEmpty()) {
            throw ApiException.badField("tz", "per-day figures come in each site's own days; with tz, ask for perDay=false "
                    + "(or GET /v1/reports/sources?groupBy=day for days of another zone)");
        }
        Tuple args = Tuple.of(range.first(), range.last(), range.site(), limit);
        if (slices != null) {
            args.addArrayOfString(slices.edgeSites()).addArrayOfOffsetDateTime(slices.edgeFrom()).addArrayOfOffsetDateTime(slices.edgeTo())
                    .addArrayOfString(slices.wholeSites()).addArrayOfLocalDate(slices.wholeFrom()).addArrayOfLocalDate(slices.wholeTo());
        }
        return db.preparedQuery(DailyQuery.sql(dims, terms, perDay, slices != null, limit != null)).execute(args).map(rows -> {
            List<DailyRow> out = new ArrayList<>(), others = new ArrayList<>();
            Instant refreshed = null;
            long otherChannels = 0;
            for (Row r : rows) {
                refreshed = r.getOffsetDateTime("refreshed_at") == null ? null : r.getOffsetDateTime("refreshed_at").toInstant();
                otherChannels = Math.max(otherChannels, r.getLong("other_channels"));
                boolean other = r.getBoolean("other");
                Map<String, String> channel = new LinkedHashMap<>();
                dims.forEach(d -> channel.put(d, r.getString(d) == null || r.getString(d).isEmpty() ? null : r.getString(d)));
                (other ? others : out).add(new DailyRow(perDay ? r.getLocalDate("day") : null, other ? null : channel, n(r, "sessions"),
                        n(r, "calls"), n(r, "answered"), n(r, "missed"), n(r, "talk"), n(r, "first_time"), n(r, "leads"), n(r, "deals"),
                        r.getBigDecimal("revenue") == null ? BigDecimal.ZERO : r.getBigDecimal("revenue"), r.getBigDecimal("spend")));
            }
            return new DailyReport(range.first(), range.last(), range.site(), dims, slices == null ? null : range.zone().getId(), refreshed,
                    out, others, otherChannels);
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
