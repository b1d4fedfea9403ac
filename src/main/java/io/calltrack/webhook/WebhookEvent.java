package io.calltrack.webhook;

import io.calltrack.call.CallView;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/** The body of a webhook delivery: the event and the call as it is when sent. */
@Schema(name = "WebhookEvent", description = "POSTed to a webhook's URL, signed (see the webhooks section)")
public record WebhookEvent(
        @Schema(description = "The delivery id: the same on every retry of this event, so receivers can drop repeats",
                examples = "5120") long id,
        @Schema(enumeration = {"call.started", "call.attributed", "call.completed", "call.outcome", "call.revised"}, examples = "call.completed")
        String event,
        @Schema(description = "When the change that raised the event was stored") Instant occurredAt,
        @Schema(description = "The call as it is when the delivery is sent (a retry sends its newest state)") CallView call) {

    /** What each event means, as the API document's webhooks section tells receivers. */
    static final java.util.Map<String, String> MEANINGS = java.util.Map.of(
            "call.started", "A call to a tracked number began ringing.",
            "call.attributed", "A call was attributed to a visit or a static pool's source.",
            "call.completed", "A call ended (answered or not); its durations and disposition are final.",
            "call.outcome", "A CRM set or changed what the call became (lead, deal, ...).",
            "call.revised", "A call's attribution probability was revised as its pool's call model learned (by a point or more, "
                    + "or into another confidence band); revisions come up to 72 hours after the ring.");
}
