package io.calltrack.config;

import io.calltrack.auth.KnownSites;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/** The configuration in force. Swapped whole after a new file has been validated and synced. */
@ApplicationScoped
public class ActiveConfig implements KnownSites {

    private volatile PoolFile current = new PoolFile(java.util.List.of(), java.util.List.of(), null);
    /** Every configured number's pool, built once per configuration (a call looks its DID up here). */
    private volatile java.util.Map<String, PoolSpec> poolByNumber = java.util.Map.of();
    /**
     * Every number PostgreSQL knows, in any state, with its pool id: numbers drained out of the file (their late
     * callers still reach their last holder) and numbers added over the API, which the file does not list.
     */
    private final java.util.Map<String, String> directory = new java.util.concurrent.ConcurrentHashMap<>();

    public PoolFile get() {
        return current;
    }

    public Optional<SiteSpec> site(String key) {
        return current.site(key);
    }

    @Override
    public boolean has(String siteKey) {
        return site(siteKey).isPresent();
    }

    public Optional<PoolSpec> pool(String id) {
        return current.pool(id);
    }

    /** The pool a number belongs to: as the file lists it, else as the number directory has it (its pool still configured). */
    public Optional<PoolSpec> poolOfNumber(String e164) {
        PoolSpec listed = poolByNumber.get(e164);
        if (listed != null) {
            return Optional.of(listed);
        }
        String poolId = directory.get(e164);
        return poolId == null ? Optional.empty() : pool(poolId);
    }

    /** A number that joined a pool outside the file (the admin API). */
    public void addToDirectory(String e164, String poolId) {
        directory.put(e164, poolId);
    }

    /**
     * A configuration and the directory as PostgreSQL had it when it was put in force. Numbers are never deleted
     * from pool_numbers, so entries are only added or moved: one added over the API while this reload read the
     * directory is not dropped.
     */
    void set(PoolFile file, java.util.Map<String, String> numbers) {
        directory.putAll(numbers);
        set(file);
    }

    void set(PoolFile file) {
        java.util.Map<String, PoolSpec> index = new java.util.HashMap<>();
        file.pools().forEach(pool -> pool.numbers().forEach(n -> index.put(n, pool)));
        poolByNumber = index;
        current = file;
    }
}
