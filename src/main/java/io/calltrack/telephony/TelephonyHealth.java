package io.calltrack.telephony;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * PBX connections in readiness: a PBX that cannot be reached makes the service degraded, not down (the
 * snippet, the API and other PBXes keep working), so the check stays UP and says which PBX is out.
 */
@Readiness
@ApplicationScoped
public class TelephonyHealth implements HealthCheck {

    private final AmiListeners listeners;

    TelephonyHealth(AmiListeners listeners) {
        this.listeners = listeners;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder out = HealthCheckResponse.named("PBX connections (AMI)").up();
        boolean degraded = false;
        for (var pbx : listeners.status().entrySet()) {
            AmiListeners.PbxStatus s = pbx.getValue();
            boolean fine = s.state().equals("connected") || s.state().equals("standby");
            degraded |= !fine;
            out.withData(pbx.getKey(), fine ? s.state()
                    : s.state() + (s.lastError() == null ? "" : " (" + s.lastError() + ", attempt " + s.failedAttempts() + ")"));
        }
        return out.withData("status", degraded ? "degraded" : "ok").build();
    }
}
