package io.calltrack.pool;

import java.time.Instant;

/**
 * The number a session is shown, and on what terms.
 *
 * @param number  E.164 number to display; the site's default number when {@code outcome} is DEFAULT
 * @param poolId  the pool it came from (null for the site default)
 * @param expires when the lease lapses without a ping (null for static and default numbers)
 */
public record Allocation(String number, String poolId, Outcome outcome, Instant expires) {

    public enum Outcome {
        /** a free number, least recently released first */
        NEW,
        /** the number this visitor held last, unused since */
        RETURNED,
        /** the session already held it; lease extended */
        RENEWED,
        /** pool exhausted: shares the least recently active number (attribution confidence low) */
        SHARED,
        /** a static pool's number, no lease */
        STATIC,
        /** pool exhausted under the 'default' policy, or no pool matched: the site's own number */
        DEFAULT,
        /** too many new leases from this IP or visitor in the last minute: the site's own number */
        LIMITED
    }

    public boolean leased() {
        return expires != null;
    }
}
