package io.calltrack.config;

/**
 * Fired (asynchronously observed features use it to bring their own state in line, e.g. Redis pools)
 * after a new number-pool.yaml has been written to PostgreSQL and before it is put in force.
 */
public record ConfigApplied(PoolFile file) {
}
