package io.calltrack.pool;

import java.util.List;

/**
 * Redis keys of one pool. They all carry the hash tag {pool:ID}, so each pool lives in one Redis Cluster
 * slot and its script can touch every key atomically.
 */
final class PoolKeys {

    private PoolKeys() {
    }

    static String prefix(String poolId) {
        return "ct:{pool:" + poolId + "}:";
    }

    static String events(String poolId) {
        return prefix(poolId) + "events";
    }

    static String meta(String poolId) {
        return prefix(poolId) + "meta";
    }

    static String free(String poolId) {
        return prefix(poolId) + "free";
    }

    static String sess(String poolId) {
        return prefix(poolId) + "sess";
    }

    static String known(String poolId) {
        return prefix(poolId) + "known";
    }

    static String blocked(String poolId) {
        return prefix(poolId) + "blocked";
    }

    static String lease(String poolId) {
        return prefix(poolId) + "lease";
    }

    /** New-lease counters of one minute (rate limits). */
    static String limits(String poolId, long epochMinute) {
        return prefix(poolId) + "limits:" + epochMinute;
    }

    /** The keys of pool.lua, in its order. */
    static List<String> scriptKeys(String poolId, long nowMs) {
        String p = prefix(poolId);
        return List.of(p + "free", p + "sess", p + "lease", p + "shared", p + "last", p + "meta",
                p + "blocked", p + "known", p + "events", limits(poolId, nowMs / 60_000), p + "held");
    }
}
