package io.calltrack.webhook;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How webhook deliveries are queued and sent ({@code calltrack.webhooks.*}). */
@ConfigMapping(prefix = "calltrack.webhooks")
public interface WebhookConfig {

    /** How often the call log's changes are queued as deliveries and due deliveries are sent (read by the scheduler). */
    @WithDefault("1s")
    Duration poll();

    /** How often the parked-deliveries gauge is counted (read by the scheduler). */
    @WithDefault("30s")
    Duration metricsEvery();

    /** The wait after a delivery's first failure; it doubles (±20% jitter) at each attempt, up to {@link #backoffMax()}. */
    @WithDefault("10s")
    Duration backoffMin();

    @WithDefault("1h")
    Duration backoffMax();

    /** How long a receiver may take to connect and to answer. */
    @WithDefault("10s")
    Duration timeout();
}
