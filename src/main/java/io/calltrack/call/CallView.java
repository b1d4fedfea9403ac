package io.calltrack.call;

import io.vertx.mutiny.sqlclient.Row;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.math.BigDecimal;
import java.time.Instant;

import static io.calltrack.Clocks.instant;

/** A call as the API shows it: what happened on the phone, and where the caller came from. */
@Schema(name = "Call")
public record CallView(
        @Schema(example = "1842") long id,
        @Schema(description = "The PBX that saw it (an ingest source is 'ingest:NAME')", example = "office") String pbx,
        @Schema(description = "The PBX's id of the call (Asterisk Linkedid)", example = "1795371676.1") String externalId,
        @Schema(description = "The tracking number dialled, E.164", example = "+74951110002") String did,
        @Schema(description = "The caller, E.164; null when withheld", example = "+79161234567") String caller,
        @Schema(example = "Ivan Petrov") String callerName,
        Instant startedAt, Instant answeredAt, Instant endedAt,
        @Schema(example = "2") Integer ringSeconds,
        @Schema(example = "5") Integer talkSeconds,
        @Schema(enumeration = {"IN_PROGRESS", "ANSWERED", "NO_ANSWER", "BUSY", "ABANDONED", "FAILED"}, examples = "ANSWERED")
        String disposition,
        @Schema(description = "The extension or queue member that answered", example = "101") String extension,
        @Schema(description = "Part of the call was not seen (PBX connection down); its times are the best known",
                examples = "false") boolean incomplete,
        @Schema(description = "No event of the call was seen (it started and ended while the PBX link was down): it was "
                + "read from the PBX's own call records afterwards", examples = "false") boolean recovered,
        @Schema(description = "The caller called before; firstCallId is their first call", examples = "true") boolean repeatCaller,
        @Schema(examples = "1790") Long firstCallId,
        Attribution attribution,
        @Schema(description = "What the call became, as a CRM reported it; null until then") Outcome outcome,
        Instant createdAt, Instant updatedAt) {

    /** Where the call came from. */
    @Schema(name = "CallAttribution")
    public record Attribution(
            @Schema(enumeration = {"LIVE_LEASE", "RECENT_LEASE", "SHARED_LEASE", "STATIC_POOL", "UNATTRIBUTED"},
                    examples = "LIVE_LEASE") String method,
            @Schema(enumeration = {"HIGH", "MEDIUM", "LOW", "SOURCE"}, examples = "HIGH") String confidence,
            @Schema(example = "demo") String site,
            @Schema(example = "demo-visits") String pool,
            @Schema(examples = "Xq2v8LmN4pRt0sWk7YbC1g~demo-visits") String sessionId,
            @Schema(example = "yandex") String source,
            @Schema(example = "cpc") String medium,
            @Schema(example = "drains") String campaign,
            @Schema(example = "blocked drain") String keyword,
            @Schema(examples = "https://demo.example/?utm_source=yandex&utm_medium=cpc&utm_campaign=drains&yclid=7391846201957263")
            String landingUrl,
            @Schema(examples = "https://yandex.ru/") String referrer,
            @Schema(examples = "Cj0KCQiA6Ou5BhCrARIsAPoTxrB3gYq1n8dW4sVhZk2mRtLp0xJcEeUy7aQ") String gclid,
            @Schema(examples = "7391846201957263") String yclid,
            @Schema(examples = "IwAR2F4-dbP0l7Mn_IHiSGZX-L8Bp6wUqbB8q3") String fbclid,
            @Schema(examples = "1234567890.1700000000") String gaClientId) {
    }

    /** What the call became, as the CRM reported it. */
    @Schema(name = "CallOutcome")
    public record Outcome(
            @Schema(enumeration = {"LEAD", "QUALIFIED", "DEAL", "LOST", "SPAM"}, examples = "DEAL") String status,
            @Schema(description = "Deal value", example = "9000.00") BigDecimal value,
            @Schema(description = "ISO 4217", example = "RUB") String currency,
            @Schema(description = "The CRM's deal id", example = "D-20391") String dealId,
            Instant reportedAt) {
    }

    public static CallView of(Row r) {
        return new CallView(r.getLong("id"), r.getString("pbx"), r.getString("linkedid"), r.getString("did"),
                r.getString("caller"), r.getString("caller_name"), instant(r, "started_at"), instant(r, "answered_at"),
                instant(r, "ended_at"), r.getInteger("ring_seconds"), r.getInteger("talk_seconds"),
                r.getString("disposition"), r.getString("extension"), r.getBoolean("incomplete"),
                r.getBoolean("recovered"), r.getBoolean("repeat_caller"), r.getLong("first_call_id"),
                new Attribution(r.getString("attribution_method"), r.getString("confidence"), r.getString("site_key"),
                        r.getString("pool_id"), r.getString("session_id"), r.getString("source"), r.getString("medium"),
                        r.getString("campaign"), r.getString("keyword"), r.getString("landing_url"),
                        r.getString("referrer"), r.getString("gclid"), r.getString("yclid"), r.getString("fbclid"),
                        r.getString("ga_client_id")),
                r.getString("outcome_status") == null ? null : new Outcome(r.getString("outcome_status"),
                        r.getBigDecimal("outcome_value"), r.getString("outcome_currency"), r.getString("outcome_deal_id"),
                        instant(r, "outcome_at")),
                instant(r, "created_at"), instant(r, "updated_at"));
    }
}
