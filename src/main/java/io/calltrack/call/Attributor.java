package io.calltrack.call;

import io.calltrack.config.ActiveConfig;
import io.calltrack.config.PoolSpec;
import io.calltrack.pool.LeaseLog;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.calltrack.Clocks.utc;

/**
 * Attributes a call to the visit that held its number when it rang, from the lease history in
 * PostgreSQL (so it holds across Redis restarts). The pool's lease log is written out first, so a call a
 * few seconds after a page view still finds its lease.
 */
@ApplicationScoped
public class Attributor {

    private final ActiveConfig config;
    private final LeaseLog leaseLog;
    private final Pool db;

    Attributor(ActiveConfig config, LeaseLog leaseLog, Pool db) {
        this.config = config;
        this.leaseLog = leaseLog;
        this.db = db;
    }

    /** A lease of the dialled number, with the instant it ended or will end without another ping. */
    record Holder(String sessionId, Instant lastSeen, Instant until, boolean shared) {
    }

    public Uni<Attribution> attribute(String did, Instant ringAt) {
        PoolSpec pool = did == null ? null : config.poolOfNumber(did).orElse(null);
        if (pool == null) {
            return Uni.createFrom().item(Attribution.unattributed(null, null));
        }
        if (!pool.isDynamic()) {
            return Uni.createFrom().item(new Attribution("STATIC_POOL", "SOURCE", pool.siteKey(), pool.id(), null,
                    pool.attribute().get("source"), pool.attribute().get("medium"), pool.attribute().get("campaign"),
                    null, null, null, null, null, null, null));
        }
        // the holders and their visits in one query: a call costs one round trip here, not two
        return leaseLog.drain(pool.id())
                .chain(() -> db.preparedQuery("""
                        SELECT l.session_id, l.last_seen_at, l.shared,
                               coalesce(l.ended_at, l.last_seen_at + make_interval(secs => $3)) AS until,
                               s.source, s.medium, s.campaign, s.keyword, s.landing_url, s.referrer, s.gclid, s.yclid,
                               s.fbclid, s.ga_client_id
                        FROM leases l LEFT JOIN sessions s ON s.id = l.session_id
                        WHERE l.number = $1 AND l.started_at <= $2
                          AND coalesce(l.ended_at, l.last_seen_at + make_interval(secs => $3)) >= $2 - make_interval(secs => $4)
                        ORDER BY until DESC LIMIT 20""")
                        .execute(Tuple.of(did, utc(ringAt), (double) pool.hold().toSeconds(),
                                (double) pool.lateCallWindow().toSeconds())))
                .map(rows -> {
                    List<Holder> holders = new ArrayList<>();
                    Map<String, Row> visits = new HashMap<>();
                    for (Row r : rows) {
                        holders.add(new Holder(r.getString("session_id"), r.getOffsetDateTime("last_seen_at").toInstant(),
                                r.getOffsetDateTime("until").toInstant(), r.getBoolean("shared")));
                        visits.put(r.getString("session_id"), r);
                    }
                    return choose(holders, ringAt)
                            .map(c -> visit(pool, visits.get(c.holder().sessionId()), c.method(), c.confidence()))
                            .orElseGet(() -> Attribution.unattributed(pool.siteKey(), pool.id()));
                });
    }

    record Choice(Holder holder, String method, String confidence) {
    }

    /**
     * The holder(s) at ring time win; with several (a shared number) the most recently active one, at low
     * confidence. Without one, the lease that ended last within the late-call window.
     */
    static java.util.Optional<Choice> choose(List<Holder> holders, Instant ringAt) {
        List<Holder> live = holders.stream().filter(h -> !h.until().isBefore(ringAt)).toList();
        if (!live.isEmpty()) {
            Holder latest = live.stream().max(Comparator.comparing(Holder::lastSeen)).orElseThrow();
            return java.util.Optional.of(live.size() > 1 || latest.shared()
                    ? new Choice(latest, "SHARED_LEASE", "LOW") : new Choice(latest, "LIVE_LEASE", "HIGH"));
        }
        return holders.stream().max(Comparator.comparing(Holder::until))
                .map(h -> h.shared() ? new Choice(h, "SHARED_LEASE", "LOW") : new Choice(h, "RECENT_LEASE", "MEDIUM"));
    }

    /** The visit's source as its session row has it; a lease whose visit record is not written yet still names the visit. */
    private static Attribution visit(PoolSpec pool, Row s, String method, String confidence) {
        return new Attribution(method, confidence, pool.siteKey(), pool.id(), s.getString("session_id"), s.getString("source"),
                s.getString("medium"), s.getString("campaign"), s.getString("keyword"), s.getString("landing_url"),
                s.getString("referrer"), s.getString("gclid"), s.getString("yclid"), s.getString("fbclid"),
                s.getString("ga_client_id"));
    }
}
