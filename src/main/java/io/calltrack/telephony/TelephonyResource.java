package io.calltrack.telephony;

import io.calltrack.auth.Requires;
import io.calltrack.auth.Role;
import io.calltrack.config.ActiveConfig;
import io.calltrack.config.PbxSpec;
import io.smallrye.common.annotation.Blocking;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Each PBX link as the replica answering sees it, which replica listens, and the PBX's last call. */
@Path("/v1/admin/telephony")
@Tag(name = "Admin: telephony", description = "PBX links: which replica listens, events, the last call")
@Produces(MediaType.APPLICATION_JSON)
@Requires(Role.ADMIN)
public class TelephonyResource {

    private final ActiveConfig config;
    private final AmiListeners listeners;
    private final PbxLock lock;
    private final Pool db;

    TelephonyResource(ActiveConfig config, AmiListeners listeners, PbxLock lock, Pool db) {
        this.config = config;
        this.listeners = listeners;
        this.lock = lock;
        this.db = db;
    }

    @Schema(name = "PbxLinkView")
    public record PbxView(@Schema(examples = "office") String pbx,
                          @Schema(examples = "10.0.0.5:5038") String address,
                          @Schema(description = "This replica's link: connected, connecting, reconnecting, standby (another "
                                  + "replica listens), stopped", examples = "connected") String state,
                          @Schema(description = "The replica that listens to this PBX (the Redis lock's holder); null: none now",
                                  examples = "calltrack-7d9f-xk2p") String listener,
                          @Schema(description = "This replica's name", examples = "calltrack-7d9f-xk2p") String replica,
                          @Schema(description = "Why the last attempt failed, while not connected", examples = "Connection refused") String lastError,
                          @Schema(description = "Failed attempts since the last good connection", examples = "0") int failedAttempts,
                          @Schema(description = "Call events read by this replica since it started", examples = "18234") long events,
                          @Schema(description = "Connections this replica made since it started (1 + reconnects)", examples = "1") long connects,
                          @Schema(description = "Events read but not yet assembled into calls", examples = "0") int queued,
                          @Schema(description = "When this replica's connection came up; null while not connected",
                                  examples = "2026-11-30T08:00:00Z") Instant upSince,
                          @Schema(description = "When this replica last read a call event from the PBX", examples = "2026-11-30T09:41:07Z") Instant lastEventAt,
                          @Schema(description = "The latest call from this PBX in the call log", examples = "2026-11-30T09:41:05Z") Instant lastCallAt) {
    }

    @GET
    @Blocking
    @Operation(operationId = "listPbxLinks", summary = "PBX links",
            description = "Every PBX in number-pool.yaml: the answering replica's link to it, which replica listens "
                    + "(only one does), its counters since that replica started, and the PBX's latest call.")
    @APIResponse(responseCode = "200", description = "PBX links, by id",
            content = @Content(schema = @Schema(implementation = PbxView[].class)))
    public List<PbxView> list() {
        List<PbxSpec> pbxes = config.get().pbxes();
        Map<String, Instant> lastCall = new HashMap<>();
        // newest rows first: the latest call of each PBX is near the top, whatever the log's size
        db.preparedQuery("SELECT p, (SELECT started_at FROM calls WHERE pbx = p ORDER BY id DESC LIMIT 1) AS last FROM unnest($1::text[]) p")
                .execute(Tuple.of(pbxes.stream().map(PbxSpec::id).toArray(String[]::new)))
                .await().indefinitely()
                .forEach(r -> {
                    if (r.getOffsetDateTime("last") != null) {
                        lastCall.put(r.getString("p"), r.getOffsetDateTime("last").toInstant());
                    }
                });
        Map<String, AmiListeners.PbxStatus> status = listeners.status();
        List<PbxView> out = new ArrayList<>();
        for (PbxSpec p : pbxes) {
            AmiListeners.PbxStatus s = status.get(p.id());
            String listener = lock.holder(p.id());
            out.add(new PbxView(p.id(), p.host() + ":" + p.port(), s == null ? "stopped" : s.state(), listener, lock.replica(),
                    s == null ? null : s.lastError(), s == null ? 0 : s.failedAttempts(), s == null ? 0 : s.events(),
                    s == null ? 0 : s.connects(), s == null ? 0 : s.queued(), s == null ? null : s.upSince(),
                    s == null ? null : s.lastEventAt(), lastCall.get(p.id())));
        }
        return out;
    }
}
