package io.calltrack.session;

import io.calltrack.auth.Public;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.config.ActiveConfig;
import io.calltrack.web.ApiException;
import io.calltrack.web.ClientAddress;
import io.calltrack.web.HttpGuard;
import io.calltrack.web.MalformedBodyException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The public API the number-swap script calls on every page view. Bodies are JSON sent as text/plain so
 * browsers make no CORS preflight; each site's configured domains are the only origins allowed.
 */
@Path("/v1/sessions")
@Public
@Tag(name = "Sessions (public)", description = "Called by the number-swap script from the customer's site")
public class SessionResource {

    private final SessionService service;
    private final ObjectMapper json;
    private final ActiveConfig config;
    private final ClientAddress clientAddress;

    SessionResource(SessionService service, ObjectMapper json, ActiveConfig config, ClientAddress clientAddress) {
        this.service = service;
        this.json = json;
        this.config = config;
        this.clientAddress = clientAddress;
    }

    /** Only the site key matters in a ping body. */
    record PingBody(String siteKey) {
    }

    @POST
    @Consumes({MediaType.TEXT_PLAIN, MediaType.APPLICATION_JSON})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "startSession", summary = "Start a visit and get its substitute numbers",
            description = "Classifies the traffic source, picks each printed number's first matching pool and leases "
                    + "a number from dynamic pools. Bots get the site's default number and no lease.")
    @RequestBody(content = @Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(implementation = SessionRequest.class)))
    @APIResponse(responseCode = "200", description = "The numbers to show",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SessionResponse.class)))
    @APIResponse(responseCode = "400", description = "Malformed body or a field out of bounds")
    @APIResponse(responseCode = "403", description = "The Origin is not one of the site's domains")
    @APIResponse(responseCode = "404", description = "Unknown site")
    @APIResponse(responseCode = "413", description = "The body is larger than 8 KB")
    @APIResponse(responseCode = "429", description = "Too many new visits from this address or visitor")
    public Uni<RestResponse<SessionResponse>> start(String body, @Context HttpServerRequest request) {
        SessionRequest parsed = read(body, SessionRequest.class);
        String origin = request.getHeader("Origin");
        var client = new SessionService.Client(clientAddress.of(request), request.getHeader("User-Agent"), origin);
        return service.start(parsed, client).map(r -> withCors(RestResponse.ResponseBuilder.ok(r), origin).build());
    }

    @POST
    @Path("/{sessionId}/ping")
    @Consumes(MediaType.WILDCARD)
    @Operation(operationId = "pingSession", summary = "Renew a visit's leases",
            description = "Sent while the page is visible (also as navigator.sendBeacon). 404 means a lease lapsed: "
                    + "the script then starts a new visit.")
    @APIResponse(responseCode = "204", description = "Renewed")
    @APIResponse(responseCode = "403", description = "The Origin is not one of the site's domains")
    @APIResponse(responseCode = "404", description = "No live lease for this visit")
    public Uni<RestResponse<Void>> ping(@PathParam("sessionId") String sessionId, String body,
                                        @Context HttpServerRequest request) {
        String siteKey = body == null || body.isBlank() ? null : read(body, PingBody.class).siteKey();
        String origin = request.getHeader("Origin");
        return service.ping(sessionId, siteKey, origin).map(live -> {
            if (!live) {
                throw new ApiException(404, "lease-lapsed", "Lease lapsed",
                        "a lease of this visit has lapsed; start a new visit", null);
            }
            return withCors(RestResponse.ResponseBuilder.<Void>noContent(), origin).build();
        });
    }

    @OPTIONS
    @Operation(hidden = true)
    public RestResponse<Void> preflight(@Context HttpServerRequest request) {
        return preflightFor(request.getHeader("Origin"));
    }

    @OPTIONS
    @Path("/{sessionId}/ping")
    @Operation(hidden = true)
    public RestResponse<Void> pingPreflight(@Context HttpServerRequest request) {
        return preflightFor(request.getHeader("Origin"));
    }

    /** For clients that send application/json after all: allowed for any configured site's origin. */
    private RestResponse<Void> preflightFor(String origin) {
        boolean allowed = origin != null && config.get().sites().stream().anyMatch(s -> Origins.allowed(s, origin));
        if (!allowed) {
            throw new ApiException(403, "origin-not-allowed", "Origin not allowed",
                    "origin " + origin + " is not a domain of any configured site", "Origin");
        }
        return withCors(RestResponse.ResponseBuilder.<Void>noContent(), origin)
                .header("Access-Control-Allow-Methods", "POST")
                .header("Access-Control-Allow-Headers", "Content-Type")
                .header("Access-Control-Max-Age", "86400")
                .build();
    }

    private static <T> RestResponse.ResponseBuilder<T> withCors(RestResponse.ResponseBuilder<T> builder, String origin) {
        if (origin != null) {
            // Timing-Allow-Origin: the site's own real-user monitoring may see where the request's time went
            builder.header("Access-Control-Allow-Origin", origin).header("Timing-Allow-Origin", origin).header("Vary", "Origin");
        }
        return builder;
    }

    private <T> T read(String body, Class<T> type) {
        if (body == null || body.isBlank()) {
            throw ApiException.badField("body", "the request body is empty; send a JSON object");
        }
        if (body.length() > HttpGuard.MAX_SESSION_BODY) {
            // chunked bodies carry no Content-Length for HttpGuard to refuse early
            throw new ApiException(413, "body-too-large", "Request body too large",
                    "the request body is larger than " + HttpGuard.MAX_SESSION_BODY + " characters", "body");
        }
        T value;
        try {
            value = json.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw new MalformedBodyException(e);
        }
        if (value == null) {
            throw ApiException.badField("body", "the request body is null; send a JSON object");
        }
        return value;
    }
}
