package io.calltrack.telephony;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The PBX links' timings ({@code calltrack.ami.*}); each PBX's address and login are in number-pool.yaml. */
@ConfigMapping(prefix = "calltrack.ami")
public interface AmiConfig {

    /** The first wait before a reconnect; it doubles (jittered) up to {@link #backoffMax()}, forever. */
    @WithDefault("1s")
    Duration backoffMin();

    @WithDefault("30s")
    Duration backoffMax();

    /** A link up this long was a good one: a drop after it is retried from {@link #backoffMin()} again. */
    @WithDefault("5s")
    Duration stableAfter();

    /** The keep-alive ping: a link whose ping goes unanswered is started over. */
    @WithDefault("20s")
    Duration pingEvery();

    /** How long an AMI action (login, filter, channel list, ping) may take. */
    @WithDefault("5s")
    Duration timeout();

    /** Events a PBX's line holds before its reader waits for the call log (a slow database slows reading, never drops). */
    @WithDefault("50000")
    int queue();

    /** With several replicas one listens to each PBX; another takes over within this long after it dies. */
    @WithDefault("10s")
    Duration lockTtl();

    /** A call still open after this long lost its hang-up: the sweep closes it, marked incomplete. */
    @WithDefault("6h")
    Duration maxCallLength();

    /** How often that sweep runs (read by the scheduler). */
    @WithDefault("1m")
    Duration sweepEvery();
}
