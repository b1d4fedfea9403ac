package io.calltrack.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.auth.Caller;
import io.calltrack.auth.Requires;
import io.calltrack.auth.Role;
import io.calltrack.config.ActiveConfig;
import io.calltrack.web.ApiException;
import io.calltrack.web.Dates;
import io.calltrack.web.Text;
import io.calltrack.web.MalformedBodyException;
import io.calltrack.web.Money;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Ad spend in, so the channel report can put cost next to calls and revenue. */
@Path("/v1/spend")
@Tag(name = "Reports", description = "End-to-end analytics: spend, calls, revenue and ROMI by channel")
@Requires(Role.WRITE)
public class SpendResource {

    private static final int MAX_ROWS = 10_000;

    private final Pool db;
    private final Caller caller;
    private final ActiveConfig config;
    private final ObjectMapper json;

    SpendResource(Pool db, Caller caller, ActiveConfig config, ObjectMapper json) {
        this.db = db;
        this.caller = caller;
        this.config = config;
        this.json = json;
    }

    /** How many rows were stored. */
    public record Stored(@Schema(examples = "30") int rows) {
    }

    /** The latest upload: the rows one request stored share its instant. */
    @Schema(name = "SpendUpload")
    public record LastUpload(@Schema(examples = "demo") String site,
                             @Schema(description = "null: no spend recorded yet", examples = "2026-11-30T07:12:00Z") Instant uploadedAt,
                             @Schema(examples = "30") int rows,
                             @Schema(examples = "2026-11-01") LocalDate firstDay, @Schema(examples = "2026-11-30") LocalDate lastDay) {
    }

    @GET
    @Path("/last")
    @Produces(MediaType.APPLICATION_JSON)
    @Requires(Role.READ)
    @Operation(operationId = "getLastSpendUpload", summary = "The latest spend upload of a site",
            description = "When the latest spend was recorded, how many rows it stored and the days they cover.")
    @APIResponse(responseCode = "200", description = "The latest upload (uploadedAt null: none yet)",
            content = @Content(schema = @Schema(implementation = LastUpload.class)))
    public Uni<LastUpload> last(@Parameter(description = "Site; a key limited to one site may omit it", example = "demo")
                                @QueryParam("site") String siteParam) {
        String site = caller.siteFor(siteParam, "site");
        return db.preparedQuery("""
                SELECT max(updated_at) AS at, count(*) AS n, min(day) AS first, max(day) AS last FROM spend
                WHERE site_key = $1 AND updated_at = (SELECT max(updated_at) FROM spend WHERE site_key = $1)""")
                .execute(Tuple.of(site)).map(rows -> {
                    Row r = rows.iterator().next();
                    return new LastUpload(site, r.getOffsetDateTime("at") == null ? null : r.getOffsetDateTime("at").toInstant(),
                            r.getLong("n").intValue(), r.getLocalDate("first"), r.getLocalDate("last"));
                });
    }

    @POST
    @Consumes({MediaType.APPLICATION_JSON, "text/csv"})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "recordSpend", summary = "Record ad spend",
            description = "A JSON array of rows, or CSV with the header date,source,medium,campaign,amount[,currency]. "
                    + "A row for a day and channel already recorded replaces it, so re-sending an export is safe. "
                    + "All rows are stored or none.")
    @RequestBody(content = {@Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SpendRow[].class)),
            @Content(mediaType = "text/csv", schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING,
                    examples = "date,source,medium,campaign,amount,currency\n2026-11-01,yandex,cpc,drains-autumn,3000,RUB"))})
    @APIResponse(responseCode = "200", description = "Stored", content = @Content(schema = @Schema(implementation = Stored.class)))
    @APIResponse(responseCode = "400", description = "A row is invalid; field names the row and column")
    public Uni<Stored> record(@Parameter(description = "Site the spend is for; a key limited to one site may omit it", example = "demo")
                              @QueryParam("site") String siteParam,
                              @HeaderParam("Content-Type") String contentType, String body) {
        String site = caller.siteFor(siteParam, "site");
        if (config.site(site).isEmpty()) {
            throw ApiException.badField("site", "no site '" + site + "' in number-pool.yaml");
        }
        boolean csv = contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("text/csv");
        List<SpendRow> rows = csv ? SpendCsv.parse(body) : fromJson(body);
        if (rows.isEmpty() || rows.size() > MAX_ROWS) {
            throw ApiException.badField("body", "send 1 to " + MAX_ROWS + " rows");
        }
        List<Tuple> batch = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            batch.add(validated(site, rows.get(i), csv ? "line " + (i + 2) : "[" + i + "]"));
        }
        return db.withTransaction(tx -> tx.preparedQuery("""
                        INSERT INTO spend (site_key, day, source, medium, campaign, amount, currency) VALUES ($1, $2, $3, $4, $5, $6, $7)
                        ON CONFLICT (site_key, day, source, medium, campaign)
                        DO UPDATE SET amount = excluded.amount, currency = excluded.currency, updated_at = now()""")
                .executeBatch(batch)).replaceWith(new Stored(rows.size()));
    }

    private List<SpendRow> fromJson(String body) {
        try {
            SpendRow[] rows = json.readValue(body == null || body.isBlank() ? "null" : body, SpendRow[].class);
            if (rows == null) {
                throw ApiException.badField("body", "send a JSON array of spend rows");
            }
            return Arrays.asList(rows);
        } catch (JsonProcessingException e) {
            throw new MalformedBodyException(e);
        }
    }

    private static Tuple validated(String site, SpendRow r, String where) {
        if (r == null) {
            throw ApiException.badField(where, where + " is empty");
        }
        // spend is of days past, or planned a little ahead; anything else is a typo or a probe
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate day = Dates.day(where + ".date", r.date(), today.minusYears(20), today.plusYears(1));
        if (r.source() == null || r.source().isBlank() || r.source().length() > 200) {
            throw ApiException.badField(where + ".source", where + ": source is required (at most 200 characters)");
        }
        for (String[] text : new String[][]{{"source", r.source()}, {"medium", r.medium()}, {"campaign", r.campaign()}}) {
            if (Text.unstorable(text[1]) != null) {
                throw ApiException.badField(where + "." + text[0], where + ": " + text[0] + " " + Text.unstorable(text[1]));
            }
        }
        BigDecimal amount = r.amount();
        if (!Money.isAmount(amount)) {
            throw ApiException.badField(where + ".amount", where + ": amount must be a non-negative amount with at most 2 decimals");
        }
        String currency = Money.currency(r.currency(), where + ".currency");
        return Tuple.from(new Object[]{site, day, r.source().trim(), blankIfNull(r.medium()), blankIfNull(r.campaign()), amount, currency});
    }

    private static String blankIfNull(String s) {
        return s == null ? "" : s.trim();
    }
}
