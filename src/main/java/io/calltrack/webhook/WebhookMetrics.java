package io.calltrack.webhook;

import io.calltrack.call.CallChanges;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Parked webhook deliveries (every retry failed for a day), for the alert that asks for a replay; and how long the call
 * log's oldest change has waited to be queued, for the alert that says no replica's poll is taking them.
 */
@ApplicationScoped
class WebhookMetrics {

    private final Pool db;
    private volatile double parked = Double.NaN;
    private volatile double waiting = Double.NaN;

    WebhookMetrics(Pool db, MeterRegistry metrics) {
        this.db = db;
        Gauge.builder("calltrack.webhooks.parked", this, m -> m.parked)
                .description("webhook deliveries parked after a day of failed attempts, waiting for a replay").register(metrics);
        Gauge.builder("calltrack.webhooks.changes.waiting", this, m -> m.waiting).baseUnit("seconds")
                .description("how long the call log's oldest change has waited to be queued as webhook deliveries").register(metrics);
    }

    @Scheduled(every = "${calltrack.webhooks.metrics-every}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        Uni<Void> parkedNow = db.query("SELECT count(*) AS n FROM webhook_deliveries WHERE state = 'PARKED'").execute()
                .invoke(rows -> parked = rows.iterator().next().getLong("n"))
                .onFailure().invoke(e -> parked = Double.NaN).onFailure().recoverWithNull().replaceWithVoid();
        Uni<Void> waitingNow = CallChanges.oldestWaitingSeconds(db).invoke(age -> waiting = age)
                .onFailure().invoke(e -> waiting = Double.NaN).onFailure().recoverWithNull().replaceWithVoid();
        return Uni.join().all(parkedNow, waitingNow).andCollectFailures().replaceWithVoid();
    }
}
