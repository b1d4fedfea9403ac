package io.calltrack.call;

import io.calltrack.auth.Caller;
import io.calltrack.auth.Requires;
import io.calltrack.auth.Role;
import io.calltrack.web.ApiException;
import io.calltrack.web.Money;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** What a call became, reported back by the CRM: the revenue side of the channel reports. */
@Path("/v1/calls/{id}/outcome")
@Tag(name = "Calls")
@Requires(Role.WRITE)
public class CallOutcomeResource {

    static final Set<String> STATUSES = Set.of("LEAD", "QUALIFIED", "DEAL", "LOST", "SPAM");

    /** Changes the outcome only if it differs, so a repeated PUT neither bumps updatedAt nor fires call.outcome. */
    private static final String SET_OUTCOME = """
            WITH changed AS (
              UPDATE calls SET outcome_status = $3, outcome_value = $4, outcome_currency = $5, outcome_deal_id = $6,
                               outcome_lost_reason = $7, outcome_at = now(), updated_at = clock_timestamp()
              WHERE id = $1 AND ($2::text IS NULL OR site_key = $2)
                AND (outcome_status, outcome_value, outcome_currency, outcome_deal_id, outcome_lost_reason)
                    IS DISTINCT FROM ($3, $4::numeric, $5, $6, $7)
              RETURNING *),
            changes AS (""" + CallChanges.raise("changed", Map.of("call.outcome", "true")) + """
            )
            SELECT * FROM changed
            UNION ALL SELECT * FROM calls WHERE id = $1 AND ($2::text IS NULL OR site_key = $2)
                                           AND NOT EXISTS (SELECT 1 FROM changed)""";

    private final Pool db;
    private final Caller caller;

    CallOutcomeResource(Pool db, Caller caller) {
        this.db = db;
        this.caller = caller;
    }

    @Schema(name = "OutcomeRequest")
    public record OutcomeRequest(
            @Schema(description = "As the call's outcome.status says it (any letter case is read)",
                    enumeration = {"LEAD", "QUALIFIED", "DEAL", "LOST", "SPAM"}, required = true, examples = "DEAL") String status,
            @Schema(description = "Deal value, at most 2 decimals", example = "9000") BigDecimal value,
            @Schema(description = "ISO 4217 code; required with value", example = "RUB") String currency,
            @Schema(description = "The CRM's deal id", example = "D-20391") String dealId,
            @Schema(description = "Why the deal was lost (status LOST only), as the CRM words it: the lost-deals report groups by it",
                    example = "too expensive") String lostReason) {
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "setCallOutcome", summary = "Set what a call became",
            description = "Replaces the call's outcome. Idempotent: sending the same outcome again changes nothing "
                    + "(no new updatedAt, no second call.outcome webhook).")
    @APIResponse(responseCode = "200", description = "The call with its outcome",
            content = @Content(schema = @Schema(implementation = CallView.class)))
    @APIResponse(responseCode = "400", description = "A field is missing or invalid")
    @APIResponse(responseCode = "404", description = "No such call")
    public Uni<CallView> set(@PathParam("id") long id, OutcomeRequest body) {
        if (body == null) {
            throw ApiException.badField("status", "send the outcome: {\"status\": \"DEAL\", \"value\": 9000, \"currency\": \"RUB\"}");
        }
        String status = body.status() == null ? "" : body.status().trim().toUpperCase(Locale.ROOT);
        if (!STATUSES.contains(status)) {
            throw ApiException.badField("status", "status must be one of LEAD, QUALIFIED, DEAL, LOST, SPAM");
        }
        BigDecimal value = body.value();
        if (value != null && !Money.isAmount(value)) {
            throw ApiException.badField("value", "value must be a non-negative amount with at most 2 decimals");
        }
        String currency = Money.currency(body.currency(), "currency");
        if (value != null && currency == null) {
            throw ApiException.badField("currency", "currency (ISO 4217, e.g. RUB) is required with value");
        }
        if (body.dealId() != null && body.dealId().length() > 128) {
            throw ApiException.badField("dealId", "dealId must be at most 128 characters");
        }
        String lostReason = body.lostReason() == null || body.lostReason().isBlank() ? null : body.lostReason().strip();
        if (lostReason != null && !status.equals("LOST")) {
            throw ApiException.badField("lostReason", "lostReason goes with status LOST only");
        }
        if (lostReason != null && (lostReason.length() > 200 || lostReason.chars().anyMatch(Character::isISOControl))) {
            throw ApiException.badField("lostReason", "lostReason must be at most 200 characters, without control characters");
        }
        return db.preparedQuery(SET_OUTCOME)
                .execute(Tuple.from(new Object[]{id, caller.site(), status, value, currency, body.dealId(), lostReason}))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw ApiException.notFound("no call " + id);
                    }
                    return CallView.of(rows.iterator().next());
                });
    }
}
