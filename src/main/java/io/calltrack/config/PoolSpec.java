package io.calltrack.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A pool of tracking numbers. {@code static}: every matching visitor sees the same number (one per
 * source value when the pool has several). {@code dynamic}: each session leases its own number for as
 * long as it is active plus {@code hold}. There is deliberately no cool-down: least-recently-released
 * allocation already rests every number as long as the pool allows.
 *
 * @param replaces   E.164 forms of the printed numbers this pool substitutes (all of the site's by default)
 * @param attribute  labels a call to a static number is attributed to (source, medium, campaign)
 */
public record PoolSpec(
        String id,
        String siteKey,
        Kind kind,
        MatchRule match,
        List<String> numbers,
        Duration hold,
        Duration lateCallWindow,
        Exhaustion exhaustion,
        List<String> replaces,
        Map<String, String> attribute) {

    public enum Kind {
        STATIC, DYNAMIC
    }

    /** What a dynamic pool does when every number is leased. */
    public enum Exhaustion {
        /** give the least recently active leased number to the new session too (low confidence) */
        SHARE,
        /** hand out the site's default number, no lease */
        DEFAULT
    }

    public boolean isDynamic() {
        return kind == Kind.DYNAMIC;
    }

    /**
     * By id only: the generated hash would walk every number of the pool (100,000 of them, say) each time
     * a pool is used as a key. Equal pools have equal ids, so this agrees with the record's equals.
     */
    @Override
    public int hashCode() {
        return id == null ? 0 : id.hashCode();
    }
}
