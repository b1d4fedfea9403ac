package io.calltrack.report;

import io.calltrack.auth.Caller;
import io.calltrack.auth.Requires;
import io.calltrack.auth.Role;
import io.calltrack.config.ActiveConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
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
import java.util.ArrayList;
import java.util.List;

/** The people side of the funnel: who answered the calls and what they became, and why deals were lost. */
@Path("/v1/reports")
@Tag(name = "Reports")
@Produces(MediaType.APPLICATION_JSON)
@Requires(Role.READ)
public class TeamReportResource {

    private final Pool db;
    private final Caller caller;
    private final ActiveConfig config;

    TeamReportResource(Pool db, Caller caller, ActiveConfig config) {
        this.db = db;
        this.caller = caller;
        this.config = config;
    }

    @Schema(name = "OperatorRow")
    public record OperatorRow(@Schema(description = "The extension or queue member that answered", examples = "101") String operator,
                              @Schema(description = "Calls answered", examples = "42") long answered,
                              @Schema(description = "Calls that rang this phone and that it missed: rang out, or the caller hung "
                                      + "up unanswered while it rang (from the PBX's dial events)", examples = "3") long missed,
                              @Schema(description = "Seconds the callers waited before the answer, on average", examples = "9.5") BigDecimal averageRingSeconds,
                              @Schema(description = "Talk time in all, seconds", examples = "8260") long talkSeconds,
                              @Schema(description = "Calls that became a lead, qualified lead or deal", examples = "12") long leads,
                              @Schema(examples = "5") long deals,
                              @Schema(description = "Sum of the deals' values", examples = "45000.00") BigDecimal revenue) {
    }

    @GET
    @Path("/operators")
    @Operation(operationId = "getOperatorReport", summary = "Calls answered and what they became, per operator",
            description = "Per answering extension or queue member over the days from..to (each site's own days): answered "
                    + "calls, average ring time, talk time, and the leads, deals and revenue the CRM reported for those calls; "
                    + "most answered first; and the calls each missed (their phone rang out, or the caller hung up unanswered while "
                    + "it rang; from the PBX's dial events, so calls reported through the call-event API have none). Read from "
                    + "the daily figures the service keeps (within calltrack.reports.refresh-every).")
    @APIResponse(responseCode = "200", description = "Operators",
            content = @Content(schema = @Schema(implementation = OperatorRow[].class)))
    @APIResponse(responseCode = "400", description = "Bad dates")
    public Uni<List<OperatorRow>> operators(
            @Parameter(schema = @Schema(type = SchemaType.STRING, format = "date"), description = "First day", required = true, example = "2026-11-01") @QueryParam("from") String from,
            @Parameter(schema = @Schema(type = SchemaType.STRING, format = "date"), description = "Last day", required = true, example = "2026-11-30") @QueryParam("to") String to,
            @Parameter(description = "Site key", example = "demo") @QueryParam("site") String site) {
        ReportRange range = ReportRange.of(from, to, null, site, caller, config);
        return db.preparedQuery("""
                SELECT extension, sum(answered) AS answered, sum(missed) AS missed, round(sum(ring_seconds)::numeric / nullif(sum(ring_counted), 0), 1) AS ring,
                       sum(talk_seconds) AS talk, sum(leads) AS leads, sum(deals) AS deals, sum(revenue) AS revenue
                FROM operator_days WHERE day >= $1 AND day <= $2 AND ($3::text IS NULL OR site_key = $3)
                GROUP BY extension ORDER BY answered DESC, extension LIMIT 1000""")
                .execute(Tuple.of(range.first(), range.last(), range.site()))
                .map(rows -> {
                    List<OperatorRow> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new OperatorRow(r.getString("extension"), r.getLong("answered"), r.getLong("missed"), r.getBigDecimal("ring"),
                            r.getLong("talk"), r.getLong("leads"), r.getLong("deals"), r.getBigDecimal("revenue"))));
                    return out;
                });
    }

    @Schema(name = "LostRow")
    public record LostRow(@Schema(description = "As the CRM sent it; null: no reason given", examples = "too expensive") String reason,
                          @Schema(description = "Source of the visit the call was attributed to; null: unattributed", examples = "google") String source,
                          @Schema(examples = "cpc") String medium,
                          @Schema(description = "Calls that became lost deals", examples = "7") long lost) {
    }

    @GET
    @Path("/lost")
    @Operation(operationId = "getLostReport", summary = "Lost deals by reason and channel",
            description = "Calls whose outcome is LOST over the days from..to, by the lostReason the CRM sent and the "
                    + "call's source and medium; most first.")
    @APIResponse(responseCode = "200", description = "Reasons and channels",
            content = @Content(schema = @Schema(implementation = LostRow[].class)))
    @APIResponse(responseCode = "400", description = "Bad dates")
    public Uni<List<LostRow>> lost(
            @Parameter(schema = @Schema(type = SchemaType.STRING, format = "date"), description = "First day", required = true, example = "2026-11-01") @QueryParam("from") String from,
            @Parameter(schema = @Schema(type = SchemaType.STRING, format = "date"), description = "Last day", required = true, example = "2026-11-30") @QueryParam("to") String to,
            @Parameter(description = "Site key", example = "demo") @QueryParam("site") String site,
            @Parameter(description = "IANA time zone the days are cut in", example = "Europe/Moscow") @QueryParam("tz") String tz) {
        ReportRange range = ReportRange.of(from, to, tz, site, caller, config);
        return db.preparedQuery("""
                SELECT outcome_lost_reason, source, medium, count(*) AS lost
                FROM calls WHERE started_at >= $1 AND started_at < $2 AND ($3::text IS NULL OR site_key = $3)
                  AND outcome_status = 'LOST'
                GROUP BY 1, 2, 3 ORDER BY lost DESC, 1, 2, 3 LIMIT 1000""")
                .execute(Tuple.of(range.start(), range.end(), range.site()))
                .map(rows -> {
                    List<LostRow> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new LostRow(r.getString("outcome_lost_reason"), r.getString("source"),
                            r.getString("medium"), r.getLong("lost"))));
                    return out;
                });
    }
}
