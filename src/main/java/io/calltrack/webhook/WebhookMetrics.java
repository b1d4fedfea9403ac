package io.calltrack.webhook;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

/** Parked webhook deliveries (every retry failed for a day) as a gauge, for the alert that asks for a replay. */
@ApplicationScoped
class WebhookMetrics {

    private final Pool db;
    private volatile double parked = Double.NaN;

    WebhookMetrics(Pool db, MeterRegistry metrics) {
        this.db = db;
        Gauge.builder("calltrack.webhooks.parked", this, m -> m.parked)
                .description("webhook deliveries parked after a day of failed attempts, waiting for a replay").register(metrics);
    }

    @Scheduled(every = "${calltrack.webhooks.metrics-every}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return db.query("SELECT count(*) AS n FROM webhook_deliveries WHERE state = 'PARKED'").execute()
                .invoke(rows -> parked = rows.iterator().next().getLong("n"))
                .onFailure().invoke(e -> parked = Double.NaN).onFailure().recoverWithNull().replaceWithVoid();
    }
}
