package io.calltrack.config;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/** The configuration in force. Swapped whole after a new file has been validated and synced. */
@ApplicationScoped
public class ActiveConfig {

    private volatile PoolFile current = new PoolFile(java.util.List.of(), java.util.List.of(), null);
    /** Every configured number's pool, built once per configuration (a call looks its DID up here). */
    private volatile java.util.Map<String, PoolSpec> poolByNumber = java.util.Map.of();

    public PoolFile get() {
        return current;
    }

    public Optional<SiteSpec> site(String key) {
        return current.site(key);
    }

    public Optional<PoolSpec> pool(String id) {
        return current.pool(id);
    }

    public Optional<PoolSpec> poolOfNumber(String e164) {
        return Optional.ofNullable(poolByNumber.get(e164));
    }

    void set(PoolFile file) {
        java.util.Map<String, PoolSpec> index = new java.util.HashMap<>();
        file.pools().forEach(pool -> pool.numbers().forEach(n -> index.put(n, pool)));
        poolByNumber = index;
        current = file;
    }
}
