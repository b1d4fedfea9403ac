package io.calltrack.config;

import io.calltrack.auth.Caller;
import io.calltrack.auth.Requires;
import io.calltrack.auth.Role;
import io.calltrack.web.ApiException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

@Path("/v1/admin/config")
@Requires(Role.ADMIN)
@Tag(name = "Admin: configuration", description = "number-pool.yaml in force")
@Produces(MediaType.APPLICATION_JSON)
public class ConfigResource {

    private final PoolFileService service;
    private final ActiveConfig active;
    private final Caller caller;
    private final ConfigChanges changes;

    ConfigResource(PoolFileService service, ActiveConfig active, Caller caller, ConfigChanges changes) {
        this.service = service;
        this.active = active;
        this.caller = caller;
        this.changes = changes;
    }

    /** What a reload put in force. */
    public record ConfigSummary(List<SiteSummary> sites, List<String> pbx) {
        static ConfigSummary of(PoolFile file) {
            return new ConfigSummary(file.sites().stream().map(s -> new SiteSummary(s.key(), s.name(),
                    s.pools().stream().map(p -> new PoolSummary(p.id(), p.kind().name().toLowerCase(), p.numbers().size())).toList()))
                    .toList(), file.pbxes().stream().map(PbxSpec::id).toList());
        }
    }

    public record SiteSummary(@Schema(examples = "demo") String key, @Schema(examples = "Demo Plumbing Moscow") String name,
                              List<PoolSummary> pools) {
    }

    public record PoolSummary(@Schema(examples = "demo-visits") String id, @Schema(examples = "dynamic") String kind,
                              @Schema(examples = "30") int numbers) {
    }

    @GET
    @Operation(operationId = "getConfig", summary = "The configuration in force",
            description = "Sites and pools as number-pool.yaml defines them now, with when it was loaded; a key limited to one site sees its own.")
    @APIResponse(responseCode = "200", description = "Sites and pools in force")
    public ConfigSummary current() {
        caller.requireAllSites();
        return ConfigSummary.of(active.get());
    }

    @POST
    @Path("/validate")
    @Consumes({"application/yaml", "text/yaml", MediaType.TEXT_PLAIN})
    @Operation(operationId = "validateConfig", summary = "Check a number-pool.yaml without putting it in force",
            description = "Reads the file in the body as a reload would (environment references included) and says what it "
                    + "would put in force, or every problem with its path and line. Nothing changes either way.")
    @APIResponse(responseCode = "200", description = "The file is valid: what it defines")
    @APIResponse(responseCode = "422", description = "The file is invalid; every problem is listed with its path and line")
    public ConfigSummary validate(String yaml) {
        caller.requireAllSites();
        if (yaml == null || yaml.isBlank()) {
            throw ApiException.badField("body", "send the number-pool.yaml to check as the request body");
        }
        return ConfigSummary.of(PoolFileParser.parse(yaml, System::getenv));
    }

    @POST
    @Path("/reload")
    @Operation(operationId = "reloadConfig", summary = "Re-read number-pool.yaml",
            description = "Validates the whole file; if valid, syncs it into PostgreSQL and Redis (added numbers "
                    + "join their pool, removed ones drain) and puts it in force. An invalid file changes nothing.")
    @APIResponse(responseCode = "200", description = "The new configuration is in force")
    @APIResponse(responseCode = "422", description = "The file is invalid; every problem is listed with its path and line")
    public Uni<ConfigSummary> reload() {
        caller.requireAllSites();
        return service.reload().call(changes::announce).map(ConfigSummary::of);
    }
}
