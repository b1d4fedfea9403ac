package io.calltrack.webhook;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;

import java.util.List;

/**
 * The webhooks section of the API document (OpenAPI 3.1): one entry per event, with the body (WebhookEvent,
 * registered as a component here since no operation returns it) and the headers a receiver checks, so
 * receivers can generate their model and verify signatures from the document alone.
 */
@OpenAPIDefinition(info = @Info(title = "Calltrack API", version = "0.1.0"),
        components = @Components(schemas = @Schema(name = "WebhookEvent", implementation = WebhookEvent.class)))
@OpenApiFilter
public class WebhookDocs implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI api) {
        for (String event : Webhook.EVENTS) {
            api.addWebhook(event, OASFactory.createPathItem().POST(delivery(event)));
        }
    }

    private static Operation delivery(String event) {
        String[] words = event.split("\\.");
        String id = words[0] + Character.toUpperCase(words[1].charAt(0)) + words[1].substring(1) + "Webhook";
        // no API key: the receiver checks the signature headers instead
        return OASFactory.createOperation().operationId(id).summary(event).tags(List.of("Webhook events")).security(List.of())
                .description(WebhookEvent.MEANINGS.get(event) + " Sent to every active webhook of the call's site that "
                        + "lists the event; retried with backoff for 24 hours until the receiver answers 2xx.")
                .parameters(List.of(
                        header("Calltrack-Event", "The event, as in the body", event),
                        header("Calltrack-Delivery", "The delivery id, as the body's id: the same on every retry", "5120"),
                        header("Calltrack-Timestamp", "Unix seconds when this attempt was signed; refuse one far from now",
                                "1795371676"),
                        header("Calltrack-Signature", "v1= and the hex HMAC-SHA256, keyed with the webhook's secret, of "
                                + "the timestamp, a dot and the raw body",
                                "v1=5d41402abc4b2a76b9719d911017c592b8e1c8f6a1d2e3f4a5b6c7d8e9f00112")))
                .requestBody(OASFactory.createRequestBody().required(true).content(OASFactory.createContent()
                        .addMediaType("application/json", OASFactory.createMediaType()
                                .schema(OASFactory.createSchema().ref("WebhookEvent")))))
                .responses(OASFactory.createAPIResponses().addAPIResponse("200", OASFactory.createAPIResponse()
                        .description("Delivered (any 2xx). Anything else, or no answer within the timeout, is retried")));
    }

    private static Parameter header(String name, String description, String example) {
        return OASFactory.createParameter().name(name).in(Parameter.In.HEADER).required(true).description(description)
                .schema(OASFactory.createSchema().addType(org.eclipse.microprofile.openapi.models.media.Schema.SchemaType.STRING)
                        .examples(List.of(example)));
    }
}
