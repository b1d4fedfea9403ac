package io.calltrack.pool;

import java.util.List;

/**
 * Redis keys of one pool. They all carry the hash tag {pool:ID}, so each pool lives in one Redis Cluster
 * slot and its script can touch every key atomically.
 */
final class PoolKeys {

    static final String WRITERS_GROUP = "lease-log";

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

    static String busy(String poolId) {
        return prefix(poolId) + "busy";
    }

    static String blocked(String poolId) {
        return prefix(poolId) + "blocked";
    }

    static String lease(String poolId) {
        return prefix(poolId) + "lease";
    }

    /** The ten keys of pool.lua, in its order; {@code visitorId} may be empty for ops that ignore it. */
    static List<String> scriptKeys(String poolId, String visitorId) {
        String p = prefix(poolId);
        return List.of(p + "free", p + "busy", p + "sess", p + "lease", p + "holders", p + "last", p + "meta",
                p + "blocked", p + "events", p + "visitor:" + visitorId);
    }
}
