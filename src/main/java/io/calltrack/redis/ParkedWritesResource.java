package io.calltrack.redis;

import io.calltrack.auth.Caller;
import io.calltrack.auth.Requires;
import io.calltrack.auth.Role;
import io.calltrack.web.Params;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** What the write-behind logs set aside: entries the database refused on their own, newest first. */
@Path("/v1/admin/parked-writes")
@Requires(Role.ADMIN)
@Tag(name = "Admin: parked writes", description = "Visit and lease-history entries the database refused")
@Produces(MediaType.APPLICATION_JSON)
public class ParkedWritesResource {

    private final ParkedWrites parked;
    private final Caller caller;

    ParkedWritesResource(ParkedWrites parked, Caller caller) {
        this.parked = parked;
        this.caller = caller;
    }

    @GET
    @Operation(operationId = "listParkedWrites", summary = "Entries parked by the visit and lease-history writers",
            description = "Each was refused by PostgreSQL for what it holds (e.g. a NUL character); the rest of its "
                    + "batch was written. The payload is the entry as logged, as JSON.")
    @APIResponse(responseCode = "200", description = "Newest first")
    @APIResponse(responseCode = "400", description = "limit out of range")
    public Uni<List<ParkedWrites.Parked>> list(@Parameter(description = "1-1000") @QueryParam("limit") @DefaultValue("100") int limit) {
        caller.requireAllSites(); // entries of every site
        return parked.latest(Params.pageLimit(limit));
    }
}
