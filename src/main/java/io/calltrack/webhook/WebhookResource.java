package io.calltrack.webhook;

import org.jboss.resteasy.reactive.RestResponse;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import io.calltrack.Secrets;
import io.calltrack.auth.Caller;
import io.calltrack.auth.Requires;
import io.calltrack.auth.Role;
import io.calltrack.config.ActiveConfig;
import io.calltrack.web.ApiException;
import io.calltrack.web.Params;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

@Path("/v1/webhooks")
@Tag(name = "Webhooks", description = "Call events pushed to CRMs; see the README for verifying signatures")
@Produces(MediaType.APPLICATION_JSON)
@Requires(Role.ADMIN)
public class WebhookResource {

    private final Pool db;
    private final Caller caller;
    private final ActiveConfig config;

    WebhookResource(Pool db, Caller caller, ActiveConfig config) {
        this.db = db;
        this.caller = caller;
        this.config = config;
    }

    @Schema(name = "NewWebhook")
    public record NewWebhook(
            @Schema(description = "Site whose calls are sent; a key limited to one site may omit it", examples = "demo") String site,
            @Schema(required = true, examples = "https://crm.example.com/hooks/calltrack") String url,
            @Schema(required = true, description = "Any of call.started, call.attributed, call.completed, call.outcome, call.revised",
                    examples = "[\"call.completed\", \"call.outcome\"]") List<String> events) {
    }

    @Schema(name = "CreatedWebhook")
    public record CreatedWebhook(Webhook webhook,
                                 @Schema(description = "Signs every delivery (Calltrack-Signature); shown only in this response",
                                         examples = "whsec_5f0c7e0d3b1a4f6e9c2d8b7a6e5f4d3c") String secret) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    @Operation(operationId = "createWebhook", summary = "Subscribe a URL to call events",
            description = "Deliveries are signed with the secret in this response (shown once); see the webhooks section for bodies and headers.")
    @APIResponse(responseCode = "201", description = "Subscribed",
            content = @Content(schema = @Schema(implementation = CreatedWebhook.class)),
            headers = @Header(name = "Location", description = "The webhook (delete it with DELETE)", schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "400", description = "A field is missing or invalid")
    @APIResponse(responseCode = "404", description = "The key is limited to another site")
    public Uni<RestResponse<CreatedWebhook>> create(NewWebhook body) {
        if (body == null) {
            throw ApiException.badField("url", "send {\"url\": ..., \"events\": [...]}");
        }
        String site = caller.siteFor(body.site(), "site");
        if (config.site(site).isEmpty()) {
            throw ApiException.badField("site", "no site '" + site + "' in number-pool.yaml");
        }
        String url = url(body.url());
        String[] events = events(body.events());
        String secret = "whsec_" + Secrets.hex(24);
        return db.preparedQuery("INSERT INTO webhooks (site_key, url, events, secret) VALUES ($1, $2, $3, $4) RETURNING *")
                .execute(Tuple.of(site, url, events, secret))
                .map(rows -> Webhook.of(rows.iterator().next()))
                .map(w -> RestResponse.ResponseBuilder.<CreatedWebhook>created(URI.create("/v1/webhooks/" + w.id()))
                        .entity(new CreatedWebhook(w, secret)).build());
    }

    @GET
    @Operation(operationId = "listWebhooks", summary = "List webhooks", description = "A key limited to one site sees that site's webhooks only.")
    @APIResponse(responseCode = "200", description = "Webhooks, oldest first")
    public Uni<List<Webhook>> list() {
        return db.preparedQuery("SELECT * FROM webhooks WHERE active AND ($1::text IS NULL OR site_key = $1) ORDER BY id")
                .execute(Tuple.of(caller.site())).map(rows -> all(rows, Webhook::of));
    }

    @DELETE
    @Path("/{id}")
    @Produces(MediaType.WILDCARD) // no body on success: any Accept will do (generated clients send only problem+json)
    @ResponseStatus(204)
    @Operation(operationId = "deleteWebhook", summary = "Unsubscribe", description = "Pending deliveries are dropped; the delivery log goes with it.")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "404", description = "No such webhook")
    public Uni<Void> delete(@PathParam("id") long id) {
        return db.preparedQuery("DELETE FROM webhooks WHERE id = $1 AND ($2::text IS NULL OR site_key = $2) RETURNING id")
                .execute(Tuple.of(id, caller.site())).map(rows -> found(rows, "no webhook " + id)).replaceWithVoid();
    }

    @GET
    @Path("/{id}/deliveries")
    @Operation(operationId = "listWebhookDeliveries", summary = "A webhook's delivery log", description = "Newest first, with each one's state, attempts and last error.")
    @APIResponse(responseCode = "200", description = "Deliveries")
    @APIResponse(responseCode = "400", description = "Unknown state or bad limit")
    @APIResponse(responseCode = "404", description = "No such webhook")
    public Uni<List<Delivery>> deliveries(@PathParam("id") long id,
                                          @Parameter(description = "PENDING, DELIVERED or PARKED") @QueryParam("state") String state,
                                          @Parameter(description = "1-1000") @QueryParam("limit") @DefaultValue("100") int limit) {
        String wanted = state == null ? null : state.toUpperCase(Locale.ROOT);
        if (wanted != null && !List.of("PENDING", "DELIVERED", "PARKED").contains(wanted)) {
            throw ApiException.badField("state", "state must be PENDING, DELIVERED or PARKED");
        }
        Params.pageLimit(limit);
        return db.preparedQuery("SELECT 1 FROM webhooks WHERE id = $1 AND ($2::text IS NULL OR site_key = $2)")
                .execute(Tuple.of(id, caller.site())).map(rows -> found(rows, "no webhook " + id))
                .chain(ok -> db.preparedQuery("""
                        SELECT * FROM webhook_deliveries WHERE webhook_id = $1 AND ($2::text IS NULL OR state = $2)
                        ORDER BY id DESC LIMIT $3""").execute(Tuple.of(id, wanted, limit)))
                .map(rows -> all(rows, Delivery::of));
    }

    @POST
    @Path("/deliveries/{deliveryId}/replay")
    @Operation(operationId = "replayWebhookDelivery", summary = "Send a delivery again",
            description = "Puts a parked (or delivered) delivery back in the queue with a fresh 24 hours of retries. "
                    + "It keeps its id, so a receiver that already processed it can tell.")
    @APIResponse(responseCode = "200", description = "Queued again",
            content = @Content(schema = @Schema(implementation = Delivery.class)))
    @APIResponse(responseCode = "404", description = "No such delivery")
    public Uni<Delivery> replay(@PathParam("deliveryId") long deliveryId) {
        return db.preparedQuery("""
                UPDATE webhook_deliveries d SET state = 'PENDING', attempts = 0, next_attempt_at = now(),
                       retry_until = now() + interval '24 hours', delivered_at = NULL
                FROM webhooks w
                WHERE d.id = $1 AND w.id = d.webhook_id AND ($2::text IS NULL OR w.site_key = $2)
                RETURNING d.*""").execute(Tuple.of(deliveryId, caller.site()))
                .map(rows -> Delivery.of(found(rows, "no delivery " + deliveryId).iterator().next()));
    }

    private static String url(String raw) {
        try {
            URI uri = URI.create(raw == null ? "" : raw.trim());
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException();
            }
            return uri.toString();
        } catch (IllegalArgumentException e) {
            throw ApiException.badField("url", "url must be an absolute http(s) URL");
        }
    }

    private static String[] events(List<String> raw) {
        if (raw == null || raw.isEmpty()) {
            throw ApiException.badField("events", "events must list at least one of " + Webhook.EVENTS);
        }
        LinkedHashSet<String> events = new LinkedHashSet<>();
        for (int i = 0; i < raw.size(); i++) {
            String e = raw.get(i);
            if (e == null || !Webhook.EVENTS.contains(e)) { // Set.of(...).contains(null) throws
                throw ApiException.badField("events[" + i + "]", "'" + e + "' is not one of " + Webhook.EVENTS);
            }
            events.add(e);
        }
        return events.toArray(String[]::new);
    }

    private static RowSet<Row> found(RowSet<Row> rows, String otherwise) {
        if (rows.size() == 0) {
            throw ApiException.notFound(otherwise);
        }
        return rows;
    }

    private static <T> List<T> all(RowSet<Row> rows, Function<Row, T> of) {
        List<T> out = new ArrayList<>();
        rows.forEach(r -> out.add(of.apply(r)));
        return out;
    }
}
