package io.calltrack.config;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;

/**
 * How often a page renews its leases: three times within its pool's hold, between the configured bounds. The
 * session answer, the script's settings and the pool's call model (a call up to one interval after a visit's last
 * ping may still be from the page) all read it here, in milliseconds: a compressed-time run of the service scales
 * these bounds below a second, and the call model must see the interval the pages really use.
 */
@ApplicationScoped
public class PingInterval {

    private final Duration most;
    private final Duration least;

    PingInterval(@ConfigProperty(name = "calltrack.session.ping", defaultValue = "30s") Duration most,
                 @ConfigProperty(name = "calltrack.session.min-ping", defaultValue = "1s") Duration least) {
        if (most.toMillis() < 1 || least.toMillis() < 1 || least.compareTo(most) > 0) {
            throw new IllegalArgumentException("calltrack.session.min-ping (" + least + ") must be at least 1 ms and at most "
                    + "calltrack.session.ping (" + most + ")");
        }
        this.most = most;
        this.least = least;
    }

    /** Without a leased pool: the longest interval. */
    public Duration most() {
        return most;
    }

    public Duration of(PoolSpec pool) {
        return Duration.ofMillis(Math.max(least.toMillis(), Math.min(most.toMillis(), pool.hold().toMillis() / 3)));
    }
}
