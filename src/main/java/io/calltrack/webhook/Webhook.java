package io.calltrack.webhook;

import io.vertx.mutiny.sqlclient.Row;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/** A site's subscription to call events. */
@Schema(name = "Webhook")
public record Webhook(
        @Schema(examples = "7") long id,
        @Schema(examples = "demo") String site,
        @Schema(examples = "https://crm.example.com/hooks/calltrack") String url,
        @Schema(examples = "[\"call.completed\", \"call.outcome\"]") List<String> events,
        @Schema(examples = "true") boolean active,
        Instant createdAt) {

    static final List<String> EVENTS = List.of("call.started", "call.attributed", "call.completed", "call.outcome", "call.revised");

    static Webhook of(Row r) {
        return new Webhook(r.getLong("id"), r.getString("site_key"), r.getString("url"),
                List.of(r.getArrayOfStrings("events")), r.getBoolean("active"),
                r.getOffsetDateTime("created_at").toInstant());
    }
}
