package io.calltrack.call;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How the call log takes calls in ({@code calltrack.calls.*}). */
@ConfigMapping(prefix = "calltrack.calls")
public interface CallsConfig {

    /**
     * Batches of calls (up to 200 each) written at once. Two suit a database with two cores: four made each batch
     * slower (p99 40-200 ms instead of ~30) for no more calls/s, and a slow batch holds incremental syncs back.
     * Raise it with the database's cores.
     */
    @WithDefault("2")
    int writeParallelism();

    /** Call states held waiting for the database before the PBX readers are slowed (never dropped). */
    @WithDefault("100000")
    int writeBuffer();

    /**
     * How long a call's new state waits before its batch starts, so states close together share one batch: at
     * 1,000 calls/s it made batches 5x fewer and halved the database time (AMI bench), for a few ms on each write.
     */
    @WithDefault("5ms")
    Duration writeLinger();

    /** {@code POST /v1/calls/events} takes event times at most this long ago. */
    @WithDefault("7d")
    Duration eventMaxAge();

    /** ... and at most this far ahead (a sender's clock a little off). */
    @WithDefault("1h")
    Duration eventMaxAhead();
}
