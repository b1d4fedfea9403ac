package io.calltrack.config;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/** The configuration in force. Swapped whole after a new file has been validated and synced. */
@ApplicationScoped
public class ActiveConfig {

    private volatile PoolFile current = new PoolFile(java.util.List.of(), java.util.List.of(), null);

    public PoolFile get() {
        return current;
    }

    public Optional<SiteSpec> site(String key) {
        return current.site(key);
    }

    public Optional<PoolSpec> pool(String id) {
        return current.pool(id);
    }

    void set(PoolFile file) {
        current = file;
    }
}
