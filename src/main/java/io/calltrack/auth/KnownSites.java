package io.calltrack.auth;

/**
 * The sites a key may be limited to. Sites are configured in number-pool.yaml; the configuration implements this, so
 * that keys need not know the configuration (whose admin routes are guarded by keys).
 */
public interface KnownSites {

    boolean has(String siteKey);
}
