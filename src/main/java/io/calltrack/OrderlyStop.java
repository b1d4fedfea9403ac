package io.calltrack;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduler;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The first thing a normal stop does: no periodic work (writers' flushes, the lease sweep, webhook sending)
 * starts any more, so none of it runs into beans already destroyed and logs errors after the stop (the
 * scheduler would otherwise fire a last round while the container shuts down). The PBX links stop next
 * (AmiListeners), then the clients.
 */
@ApplicationScoped
class OrderlyStop {

    void pausePeriodicWork(@Observes @Priority(1) ShutdownEvent event, Scheduler scheduler) {
        scheduler.pause();
    }
}
