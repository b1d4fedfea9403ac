package io.calltrack.webhook;

import io.vertx.mutiny.sqlclient.Row;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

import static io.calltrack.Clocks.instant;

/** One event sent (or being sent) to one webhook: the delivery log. */
@Schema(name = "WebhookDelivery")
public record Delivery(
        @Schema(description = "Also sent as the Calltrack-Delivery header: receivers can drop repeats by it", examples = "1042")
        long id,
        @Schema(examples = "7") long webhookId,
        @Schema(examples = "call.completed") String event,
        @Schema(examples = "1842") long callId,
        Instant occurredAt,
        @Schema(enumeration = {"PENDING", "DELIVERED", "PARKED"},
                description = "PARKED: every attempt failed for 24 hours; replay sends it again", examples = "PENDING") String state,
        @Schema(examples = "3") int attempts,
        @Schema(description = "When the next attempt is due, while PENDING") Instant nextAttemptAt,
        @Schema(description = "HTTP status of the last attempt; null if it got no response", examples = "500") Integer lastStatus,
        @Schema(examples = "HTTP 500") String lastError,
        Instant deliveredAt) {

    static Delivery of(Row r) {
        return new Delivery(r.getLong("id"), r.getLong("webhook_id"), r.getString("event"), r.getLong("call_id"),
                instant(r, "occurred_at"), r.getString("state"), r.getInteger("attempts"),
                "PENDING".equals(r.getString("state")) ? instant(r, "next_attempt_at") : null,
                r.getInteger("last_status"), r.getString("last_error"), instant(r, "delivered_at"));
    }
}
