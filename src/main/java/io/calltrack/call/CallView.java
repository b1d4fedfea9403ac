package io.calltrack.call;

import io.vertx.mutiny.sqlclient.Row;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import static io.calltrack.Clocks.instant;

/** A call as the API shows it: what happened on the phone, and where the caller came from. */
@Schema(name = "Call")
public record CallView(
        @Schema(example = "1842") long id,
        @Schema(description = "The PBX that saw it (an ingest source is 'ingest:NAME')", example = "office") String pbx,
        @Schema(description = "The PBX's id of the call (Asterisk Linkedid)", example = "1795371676.1") String externalId,
        @Schema(description = "The tracking number dialled, E.164", example = "+74951110002") String did,
        @Schema(description = "The caller, E.164; null when withheld", example = "+79161234567", nullable = true) String caller,
        @Schema(description = "The caller's name as the network gave it; null when none", example = "Ivan Petrov") String callerName,
        Instant startedAt, @Schema(description = "null until answered", nullable = true) Instant answeredAt,
        @Schema(description = "null while the call is on", nullable = true) Instant endedAt,
        @Schema(description = "Seconds from ring to answer or hang-up; null while ringing", example = "2") Integer ringSeconds,
        @Schema(description = "Seconds talked; null until the call ends answered", example = "5") Integer talkSeconds,
        @Schema(enumeration = {"IN_PROGRESS", "ANSWERED", "NO_ANSWER", "BUSY", "ABANDONED", "FAILED"}, examples = "ANSWERED")
        String disposition,
        @Schema(description = "The extension or queue member that answered; null when nobody did", example = "101") String extension,
        @Schema(description = "Extensions or queue members whose phone rang for the call and who missed it: it rang out on "
                + "them, or the caller hung up unanswered while it rang", examples = "[\"102\"]") List<String> missedBy,
        @Schema(description = "Part of the call was not seen (PBX connection down); its times are the best known",
                examples = "false") boolean incomplete,
        @Schema(description = "No event of the call was seen (it started and ended while the PBX link was down): it was "
                + "read from the PBX's own call records afterwards", examples = "false") boolean recovered,
        @Schema(description = "The caller called before; firstCallId is their first call", examples = "true") boolean repeatCaller,
        @Schema(description = "The caller's first call; null for a withheld number", examples = "1790") Long firstCallId,
        Attribution attribution,
        @Schema(description = "What the call became, as a CRM reported it; null until then", nullable = true) Outcome outcome,
        Instant createdAt, Instant updatedAt) {

    /** Where the call came from. */
    @Schema(name = "CallAttribution")
    public record Attribution(
            @Schema(enumeration = {"LIVE_LEASE", "RECENT_LEASE", "SHARED_LEASE", "STATIC_POOL", "UNATTRIBUTED"},
                    examples = "LIVE_LEASE") String method,
            @Schema(description = "How sure the attribution is: HIGH (probability from 0.95), MEDIUM (from 0.7), LOW, or SOURCE "
                    + "for a static number; null when unattributed", enumeration = {"HIGH", "MEDIUM", "LOW", "SOURCE"}, examples = "HIGH")
            String confidence,
            @Schema(description = "The probability that the call came from this visit: its share of the call intensity of every "
                    + "recent holder of the number at ring time, from the pool's fitted call-delay model (calibrated in "
                    + "bench/accuracy); null when the call is attributed to no visit", nullable = true, examples = "0.987")
            Double probability,
            @Schema(description = "false while the probability may still be revised: it is scored again 1 h, 6 h, 24 h and 72 h "
                    + "after the ring (calltrack.attribution.revise-after) with the pool's model as it is then, and the call's "
                    + "updatedAt moves when it changes; null when there is no probability", nullable = true, examples = "true")
            Boolean probabilityFinal,
            @Schema(description = "The site whose number was called; null when the number is in no pool", example = "demo") String site,
            @Schema(description = "null when the number is in no pool", example = "demo-visits") String pool,
            @Schema(description = "The visit the call is attributed to; null when none", examples = "Xq2v8LmN4pRt0sWk7YbC1g~demo-visits") String sessionId,
            @Schema(description = "null when unattributed", example = "yandex") String source,
            @Schema(description = "null when unattributed", example = "cpc") String medium,
            @Schema(description = "utm_campaign; null when none", example = "drains") String campaign,
            @Schema(description = "The search terms or utm_term; null when none", example = "blocked drain") String keyword,
            @Schema(description = "null when the call has no visit",
                    examples = "https://demo.example/?utm_source=yandex&utm_medium=cpc&utm_campaign=drains&yclid=7391846201957263")
            String landingUrl,
            @Schema(description = "null when none", examples = "https://yandex.ru/") String referrer,
            @Schema(description = "Google Ads click id (gclid, gbraid or wbraid); null when none", examples = "Cj0KCQiA6Ou5BhCrARIsAPoTxrB3gYq1n8dW4sVhZk2mRtLp0xJcEeUy7aQ") String gclid,
            @Schema(description = "Yandex Direct click id; null when none", examples = "7391846201957263") String yclid,
            @Schema(description = "Meta click id; null when none", examples = "IwAR2F4-dbP0l7Mn_IHiSGZX-L8Bp6wUqbB8q3") String fbclid,
            @Schema(description = "Google Analytics client id; null when none", examples = "1234567890.1700000000") String gaClientId,
            @Schema(description = "The visitor (browser) of the visit, across their visits; null when none",
                    examples = "q9XbT2mLr0Vh4sN8eKc1Aw") String visitorId,
            @Schema(description = "utm_content; null when none", examples = "banner-a") String content,
            @Schema(description = "Microsoft Ads click id; null when none", examples = "3f2a9c1e8b7d4e6fa1c0b9d8e7f6a5b4") String msclkid,
            @Schema(description = "TikTok Ads click id; null when none", examples = "E.C.P.v3kS9fQ2") String ttclid) {
    }

    /** What the call became, as the CRM reported it. */
    @Schema(name = "CallOutcome")
    public record Outcome(
            @Schema(enumeration = {"LEAD", "QUALIFIED", "DEAL", "LOST", "SPAM"}, examples = "DEAL", required = true) String status,
            @Schema(description = "Deal value; null when not given", example = "9000.00") BigDecimal value,
            @Schema(description = "ISO 4217; null without a value", example = "RUB") String currency,
            @Schema(description = "The CRM's deal id; null when not given", example = "D-20391") String dealId,
            @Schema(description = "Why the deal was lost (status LOST); null otherwise", example = "too expensive") String lostReason,
            Instant reportedAt) {
    }

    public static CallView of(Row r) {
        return new CallView(r.getLong("id"), r.getString("pbx"), r.getString("linkedid"), r.getString("did"),
                r.getString("caller"), r.getString("caller_name"), instant(r, "started_at"), instant(r, "answered_at"),
                instant(r, "ended_at"), r.getInteger("ring_seconds"), r.getInteger("talk_seconds"),
                r.getString("disposition"), r.getString("extension"),
                r.getString("missed_by") == null ? List.of() : List.of(r.getString("missed_by").split(",")), r.getBoolean("incomplete"),
                r.getBoolean("recovered"), r.getBoolean("repeat_caller"), r.getLong("first_call_id"),
                new Attribution(r.getString("attribution_method"), r.getString("confidence"), r.getDouble("probability"),
                        r.getDouble("probability") == null ? null : r.getOffsetDateTime("probability_revise_at") == null,
                        r.getString("site_key"),
                        r.getString("pool_id"), r.getString("session_id"), r.getString("source"), r.getString("medium"),
                        r.getString("campaign"), r.getString("keyword"), r.getString("landing_url"),
                        r.getString("referrer"), r.getString("gclid"), r.getString("yclid"), r.getString("fbclid"),
                        r.getString("ga_client_id"), r.getString("visitor_id"), r.getString("content"),
                        r.getString("msclkid"), r.getString("ttclid")),
                r.getString("outcome_status") == null ? null : new Outcome(r.getString("outcome_status"),
                        r.getBigDecimal("outcome_value"), r.getString("outcome_currency"), r.getString("outcome_deal_id"), r.getString("outcome_lost_reason"),
                        instant(r, "outcome_at")),
                instant(r, "created_at"), instant(r, "updated_at"));
    }
}
