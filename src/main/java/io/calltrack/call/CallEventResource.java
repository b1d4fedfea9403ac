package io.calltrack.call;

import io.calltrack.auth.Caller;
import io.calltrack.config.ActiveConfig;
import io.calltrack.auth.Requires;
import io.calltrack.auth.Role;
import io.calltrack.phone.PhoneNumbers;
import io.calltrack.call.CallSnapshot.Disposition;
import io.calltrack.web.ApiException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/** Generic call ingest: other PBXes post start / answer / end and get the same call log and attribution. */
@Path("/v1/calls/events")
@Requires(Role.WRITE)
@Tag(name = "Calls", description = "The call log")
public class CallEventResource {

    private static final Map<String, Disposition> OUTCOMES = Map.of("no-answer", Disposition.NO_ANSWER,
            "busy", Disposition.BUSY, "abandoned", Disposition.ABANDONED, "failed", Disposition.FAILED);

    private final CallStore store;
    private final Pool db;
    private final Clock clock;
    private final Caller caller;
    private final ActiveConfig config;

    private final Duration maxAge;
    private final Duration maxAhead;

    CallEventResource(CallStore store, Pool db, Clock clock, Caller caller, ActiveConfig config, CallsConfig calls) {
        this.store = store;
        this.db = db;
        this.clock = clock;
        this.caller = caller;
        this.config = config;
        this.maxAge = calls.eventMaxAge();
        this.maxAhead = calls.eventMaxAhead();
    }

    /** The stored call's id. */
    public record Recorded(@Schema(examples = "1842") long callId) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "recordCallEvents", summary = "Record a call event from another PBX",
            description = "Idempotent per (source, externalId, type): replays change nothing. The call is attributed "
                    + "when its start is recorded, exactly as calls seen on Asterisk.")
    @APIResponse(responseCode = "200", description = "Recorded",
            content = @Content(schema = @Schema(implementation = Recorded.class)))
    @APIResponse(responseCode = "400", description = "A field is missing or malformed")
    @APIResponse(responseCode = "404", description = "A key limited to one site sent a call to a number that is not its site's")
    @APIResponse(responseCode = "409", description = "An answer or end for a call whose start was never recorded")
    public Uni<Recorded> ingest(CallEvent event) {
        validate(event);
        Instant now = clock.instant();
        Instant at = event.at() != null ? event.at() : now;
        if (at.isBefore(now.minus(maxAge)) || at.isAfter(now.plus(maxAhead))) {
            throw ApiException.badField("at", "at must be within " + maxAge.toHours() + " h before and "
                    + maxAhead.toMinutes() + " min after now (server time " + now + ")");
        }
        String pbx = "ingest:" + event.source();
        return db.preparedQuery("SELECT started_at, answered_at, did, caller, site_key FROM calls WHERE pbx = $1 AND linkedid = $2")
                .execute(Tuple.of(pbx, event.externalId()))
                .map(rows -> {
                    ownCall(event, rows.size() > 0 ? rows.iterator().next() : null);
                    if (rows.size() == 0 && !"start".equals(event.type())) {
                        // answer or end before any start: a call without its DID would surface in every sync
                        throw new ApiException(409, "unknown-call", "Unknown call", "no start was recorded for externalId '"
                                + event.externalId() + "' of source '" + event.source() + "'; send the start first", "externalId");
                    }
                    return snapshot(event, pbx, at, rows.size() > 0 ? rows.iterator().next() : null);
                })
                .chain(store::record)
                .map(Recorded::new);
    }

    /**
     * A key limited to one site posts calls to its site's numbers only, and touches no call of another site: either
     * is as absent as a number that does not exist (404 naming the field).
     */
    private void ownCall(CallEvent event, Row existing) {
        String own = caller.site();
        if (own == null) {
            return;
        }
        if (existing != null && !own.equals(existing.getString("site_key"))) {
            throw new ApiException(404, "not-found", "Not found", "no call '" + event.externalId() + "' of source '"
                    + event.source() + "' for site '" + own + "'", "externalId");
        }
        String did = existing != null ? existing.getString("did") : e164(event.did());
        if (did == null || !config.poolOfNumber(did).map(p -> own.equals(p.siteKey())).orElse(false)) {
            throw new ApiException(404, "not-found", "Not found", "no tracking number " + did + " of site '" + own + "'", "did");
        }
    }

    private static CallSnapshot snapshot(CallEvent e, String pbx, Instant at, Row existing) {
        Instant started = existing != null ? existing.getOffsetDateTime("started_at").toInstant() : at;
        Instant answered = existing != null && existing.getOffsetDateTime("answered_at") != null
                ? existing.getOffsetDateTime("answered_at").toInstant() : null;
        String did = e.did() != null ? e164(e.did()) : existing != null ? existing.getString("did") : null;
        String caller = e.caller() != null ? e164(e.caller()) : existing != null ? existing.getString("caller") : null;
        return switch (e.type()) {
            case "start" -> new CallSnapshot(pbx, e.externalId(), did, caller, e.callerName(), started, answered, null,
                    answered != null ? Disposition.ANSWERED : Disposition.IN_PROGRESS, e.answeredBy());
            case "answer" -> new CallSnapshot(pbx, e.externalId(), did, caller, e.callerName(), started,
                    answered != null ? answered : at, null, Disposition.ANSWERED, e.answeredBy());
            default -> new CallSnapshot(pbx, e.externalId(), did, caller, e.callerName(), started, answered, at,
                    answered != null ? Disposition.ANSWERED : OUTCOMES.getOrDefault(
                            e.outcome() == null ? "" : e.outcome().toLowerCase(Locale.ROOT), Disposition.NO_ANSWER),
                    e.answeredBy());
        };
    }

    private static String e164(String raw) {
        return PhoneNumbers.toE164(raw, null).orElse(raw);
    }

    private static void validate(CallEvent e) {
        if (e == null) {
            throw ApiException.badField("body", "the request body is empty; send a call event");
        }
        if (e.source() == null || !e.source().matches("[A-Za-z0-9._-]{1,64}")) {
            throw ApiException.badField("source", "source must be 1-64 characters of A-Z a-z 0-9 . _ -");
        }
        if (e.externalId() == null || e.externalId().isBlank() || e.externalId().length() > 128) {
            throw ApiException.badField("externalId", "externalId is required (at most 128 characters)");
        }
        if (e.type() == null || !e.type().matches("start|answer|end")) {
            throw ApiException.badField("type", "type must be start, answer or end");
        }
        if ("start".equals(e.type()) && (e.did() == null || PhoneNumbers.toE164(e.did(), null).isEmpty())) {
            throw ApiException.badField("did", "did must be the dialled number in E.164 (e.g. +74951110005)");
        }
        if (e.caller() != null && PhoneNumbers.toE164(e.caller(), null).isEmpty()) {
            throw ApiException.badField("caller", "caller must be E.164 (e.g. +79161234567); omit it when withheld");
        }
        if (e.outcome() != null && !OUTCOMES.containsKey(e.outcome().toLowerCase(Locale.ROOT))) {
            throw ApiException.badField("outcome", "outcome must be one of no-answer, busy, abandoned, failed");
        }
    }
}
