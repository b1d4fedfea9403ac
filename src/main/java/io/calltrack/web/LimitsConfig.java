package io.calltrack.web;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * What one client may ask of the service ({@code calltrack.limits.*}): the size of a request, and what it may take
 * from a pool. Each lease limit counts on its own, and 0 switches that one off.
 */
@ConfigMapping(prefix = "calltrack.limits")
public interface LimitsConfig {

    /** The largest request body (a visitor's session and ping bodies are 8 KB at most). */
    @WithDefault("1048576")
    long maxBodyBytes();

    /** New leases one client address may take per minute, per pool. */
    @WithDefault("60")
    int newLeasesPerIpPerMinute();

    /** New leases one visitor may take per minute, per pool. */
    @WithDefault("6")
    int newLeasesPerVisitorPerMinute();

    /**
     * A new lease lasts this long (or the pool's hold, if shorter) until the page's first ping: a browser pings,
     * a drain script or a crawler mostly does not.
     */
    @WithDefault("2m")
    Duration provisionalHold();

    /** Leases one client address, and one visitor, may hold at once in a pool: this share of its numbers, at least 1. */
    @WithDefault("0.1")
    double heldShare();
}
