package io.calltrack.pool;

import java.nio.charset.StandardCharsets;
import java.net.URLEncoder;
import java.net.URI;
import org.jboss.resteasy.reactive.RestResponse;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import io.calltrack.auth.Caller;
import io.calltrack.auth.Requires;
import io.calltrack.auth.Role;
import io.calltrack.config.ActiveConfig;
import io.calltrack.config.PoolSpec;
import io.calltrack.pool.PoolViews.NewNumber;
import io.calltrack.pool.PoolViews.PoolView;
import io.calltrack.pool.PoolViews.SizingView;
import io.calltrack.web.ApiException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;

@Path("/v1/admin/pools")
@Requires(Role.ADMIN)
@Tag(name = "Admin: pools", description = "Pool utilisation, sizing and numbers")
@Produces(MediaType.APPLICATION_JSON)
public class PoolAdminResource {

    private final ActiveConfig config;
    private final PoolReports reports;
    private final PoolNumbers numbers;
    private final Caller caller;
    private final PoolOdds odds;

    PoolAdminResource(ActiveConfig config, PoolReports reports, PoolNumbers numbers, Caller caller, PoolOdds odds) {
        this.config = config;
        this.reports = reports;
        this.numbers = numbers;
        this.caller = caller;
        this.odds = odds;
    }

    @GET
    @Operation(operationId = "listPools", summary = "Every pool with live stats, peaks and sizing",
            description = "Live state from Redis (free, leased, exhaustions), peaks from the lease history, and the recommended size.")
    @APIResponse(responseCode = "200", description = "Pools in configuration order")
    public Uni<List<PoolView>> list() {
        return Multi.createFrom().iterable(config.get().pools().stream().filter(p -> caller.sees(p.siteKey())).toList())
                .onItem().transformToUniAndConcatenate(this::view)
                .collect().asList();
    }

    @GET
    @Path("/{poolId}")
    @Operation(operationId = "getPool", summary = "One pool with live stats, peaks and sizing",
            description = "As in listPools, for one pool.")
    @APIResponse(responseCode = "200", description = "The pool")
    @APIResponse(responseCode = "404", description = "No such pool")
    public Uni<PoolView> get(@PathParam("poolId") String poolId) {
        return view(pool(poolId));
    }

    @GET
    @Path("/{poolId}/sizing")
    @Operation(operationId = "getPoolSizing", summary = "Recommended size and expected accuracy of a dynamic pool",
            description = "The recommended size is the peak count of visits that started and ended less than "
                    + "max(hold, X*) ago, X* being the call-delay quantile that leaves the target error. The expected "
                    + "accuracy at each size follows from how long numbers rest between holders.")
    @APIResponse(responseCode = "200", description = "Sizing with its inputs")
    @APIResponse(responseCode = "400", description = "Bad window or target, or a static pool")
    @APIResponse(responseCode = "404", description = "No such pool")
    public Uni<SizingView> sizing(@PathParam("poolId") String poolId,
                                  @Parameter(description = "ISO-8601 duration to look back", example = "P7D")
                                  @QueryParam("window") @DefaultValue("P7D") String window,
                                  @Parameter(description = "target share of correctly attributed calls", example = "0.99")
                                  @QueryParam("target") Double target) {
        PoolSpec pool = dynamicPool(poolId);
        if (target != null && (target <= 0 || target >= 1)) {
            throw ApiException.badField("target", "target must be between 0 and 1 (exclusive)");
        }
        return reports.sizing(pool, window(window), target).map(s -> PoolViews.sizing(poolId, s));
    }

    @GET
    @Path("/{poolId}/numbers")
    @Operation(operationId = "listPoolNumbers", summary = "A pool's numbers with their state, current holders and last release",
            description = "Every number: active, draining or quarantined, from the file or added over the API; who holds it now; when it was last released.")
    @APIResponse(responseCode = "200", description = "Numbers in the pool")
    @APIResponse(responseCode = "404", description = "No such pool")
    public Uni<List<PoolNumbers.NumberState>> numbers(@PathParam("poolId") String poolId) {
        return numbers.list(pool(poolId));
    }

    @POST
    @Path("/{poolId}/numbers")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.WILDCARD) // no body on success: any Accept will do (generated clients send only problem+json)
    @ResponseStatus(201)
    @Operation(operationId = "addPoolNumber", summary = "Add a number to a pool", description = "The number joins the free set at once and is kept "
            + "when number-pool.yaml is reloaded.")
    @APIResponse(responseCode = "201", description = "Added", headers = @Header(name = "Location",
            description = "The number in the pool, in E.164", schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "400", description = "Not a valid phone number")
    @APIResponse(responseCode = "404", description = "No such pool")
    @APIResponse(responseCode = "409", description = "The number belongs to another pool")
    public Uni<RestResponse<Void>> add(@PathParam("poolId") String poolId, NewNumber body) {
        if (body == null || body.number() == null || body.number().isBlank()) {
            throw ApiException.badField("number", "number is required");
        }
        return numbers.add(pool(poolId), body.number()).invoke(n -> odds.forget(poolId)).map(number -> RestResponse.created(
                URI.create("/v1/admin/pools/" + poolId + "/numbers/" + URLEncoder.encode(number, StandardCharsets.UTF_8))));
    }

    @POST
    @Path("/{poolId}/numbers/{number}/{action: drain|quarantine|activate}")
    @Produces(MediaType.WILDCARD) // no body on success: any Accept will do (generated clients send only problem+json)
    @ResponseStatus(204)
    @Operation(operationId = "setPoolNumberState", summary = "Drain, quarantine or reactivate a number",
            description = "drain and quarantine stop new leases on the number; a live lease is not cut. activate "
                    + "puts it back in rotation.")
    @APIResponse(responseCode = "204", description = "Done")
    @APIResponse(responseCode = "404", description = "No such pool or number")
    public Uni<Void> changeState(@PathParam("poolId") String poolId, @PathParam("number") String number,
                                 @PathParam("action") String action) {
        PoolNumber.State target = switch (action) {
            case "drain" -> PoolNumber.State.DRAINING;
            case "quarantine" -> PoolNumber.State.QUARANTINED;
            default -> PoolNumber.State.ACTIVE;
        };
        return numbers.setState(pool(poolId), number, target).invoke(() -> odds.forget(poolId));
    }

    private Uni<PoolView> view(PoolSpec pool) {
        if (!pool.isDynamic()) {
            return Uni.createFrom().item(PoolView.of(pool, PoolReports.LiveStats.NONE, null, null));
        }
        return Uni.combine().all().unis(reports.live(pool), reports.peaks(pool), odds.current(pool))
                .with((live, peaks, sizing) -> PoolView.of(pool, live, peaks, sizing));
    }

    private PoolSpec pool(String poolId) {
        return config.pool(poolId).filter(p -> caller.sees(p.siteKey())).orElseThrow(() -> ApiException.notFound("no pool '" + poolId + "'"));
    }

    private PoolSpec dynamicPool(String poolId) {
        PoolSpec pool = pool(poolId);
        if (!pool.isDynamic()) {
            throw ApiException.badField("poolId", "pool '" + poolId + "' is static: every visitor sees the same number, "
                    + "so its size does not affect attribution");
        }
        return pool;
    }

    private static Duration window(String raw) {
        try {
            Duration d = Duration.parse(raw);
            if (d.isNegative() || d.isZero() || d.compareTo(Duration.ofDays(90)) > 0) {
                throw ApiException.badField("window", "window must be between PT1M and P90D");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw ApiException.badField("window", "'" + raw + "' is not an ISO-8601 duration such as P7D or PT12H");
        }
    }
}
