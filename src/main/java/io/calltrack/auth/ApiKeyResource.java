package io.calltrack.auth;

import java.net.URI;
import org.jboss.resteasy.reactive.RestResponse;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import io.calltrack.web.ApiException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;

import java.util.List;
import java.util.Locale;

@Path("/v1/admin/keys")
@Tag(name = "Admin: API keys", description = "Keys for CRMs, BI tools and admins")
@Produces(MediaType.APPLICATION_JSON)
@Requires(Role.ADMIN)
public class ApiKeyResource {

    private final ApiKeys keys;
    private final Caller caller;
    private final KnownSites sites;

    ApiKeyResource(ApiKeys keys, Caller caller, KnownSites sites) {
        this.keys = keys;
        this.caller = caller;
        this.sites = sites;
    }

    @Schema(name = "NewApiKey")
    public record NewKey(@Schema(examples = "amoCRM sync", required = true) String name,
                         @Schema(implementation = Role.class, required = true) String role,
                         @Schema(description = "limit the key to this site; omit for every site", examples = "demo") String site) {
    }

    @Schema(name = "CreatedApiKey")
    public record CreatedKey(ApiKey key,
                             @Schema(description = "the key to send as Authorization: Bearer <secret>; shown only in this response",
                                     examples = "ct_Qm7xPz0b3V9kTq2LhX8sYc1nR4wE6uAf") String secret) {
    }

    @GET
    @Operation(operationId = "listApiKeys", summary = "List API keys", description = "A key limited to one site sees that site's keys only.")
    @APIResponse(responseCode = "200", description = "Keys, oldest first, revoked ones included")
    public Uni<List<ApiKey>> list() {
        return keys.list(caller.site());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    @Operation(operationId = "createApiKey", summary = "Create an API key", description = "The secret is in this response only; only its hash is kept.")
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(schema = @Schema(implementation = CreatedKey.class)),
            headers = @Header(name = "Location", description = "The key (revoke it with DELETE)", schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "400", description = "A field is missing or invalid")
    public Uni<RestResponse<CreatedKey>> create(NewKey body) {
        if (body == null || body.name() == null || body.name().isBlank()) {
            throw ApiException.badField("name", "name is required");
        }
        Role role = role(body.role());
        String site = body.site();
        if (!caller.key().allSites()) {
            site = caller.siteFor(site, "site");
        } else if (site != null && !sites.has(site)) {
            throw ApiException.badField("site", "no site '" + site + "' in number-pool.yaml");
        }
        return keys.create(body.name().strip(), role, site).map(c -> RestResponse.ResponseBuilder
                .<CreatedKey>created(URI.create("/v1/admin/keys/" + c.key().id())).entity(new CreatedKey(c.key(), c.secret())).build());
    }

    @DELETE
    @Path("/{id}")
    @Produces(MediaType.WILDCARD) // no body on success: any Accept will do (generated clients send only problem+json)
    @ResponseStatus(204)
    @Operation(operationId = "revokeApiKey", summary = "Revoke an API key", description = "The key stops working at once on this replica, within "
            + "30 seconds on others. Revoking a revoked key changes nothing.")
    @APIResponse(responseCode = "204", description = "Revoked")
    @APIResponse(responseCode = "404", description = "No such key")
    public Uni<Void> revoke(@PathParam("id") long id) {
        return keys.revoke(id, caller.site());
    }

    private static Role role(String raw) {
        try {
            return Role.valueOf(raw == null ? "" : raw.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badField("role", "role must be READ, WRITE or ADMIN");
        }
    }
}
