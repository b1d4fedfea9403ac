package io.calltrack.config;

import java.util.List;
import java.util.Optional;

/**
 * The validated content of number-pool.yaml: sites with their pools, PBX connections and the sizing
 * defaults. Immutable; a reload builds a new one and swaps it in whole.
 */
public record PoolFile(List<SiteSpec> sites, List<PbxSpec> pbxes, SizingDefaults sizing) {

    public Optional<SiteSpec> site(String key) {
        return sites.stream().filter(s -> s.key().equals(key)).findFirst();
    }

    public Optional<PoolSpec> pool(String poolId) {
        return sites.stream().flatMap(s -> s.pools().stream()).filter(p -> p.id().equals(poolId)).findFirst();
    }

    public List<PoolSpec> pools() {
        return sites.stream().flatMap(s -> s.pools().stream()).toList();
    }

    /** The pools that lease numbers from Redis: the ones the background jobs and the pool metrics walk. */
    public List<PoolSpec> dynamicPools() {
        return pools().stream().filter(PoolSpec::isDynamic).toList();
    }
}
