package io.calltrack.pool;

import io.calltrack.config.ActiveConfig;
import io.calltrack.config.PoolSpec;
import io.calltrack.config.SiteSpec;
import io.calltrack.pool.Allocation.Outcome;
import io.calltrack.redis.PipelinedRedis;
import io.calltrack.web.LimitsConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Hands out tracking numbers. A dynamic pool costs one Redis script call per request (renew, return
 * to a returning visitor, least-recently-released pick or exhaustion policy, all atomically); a static
 * pool costs nothing. Nothing here waits on PostgreSQL: the lease history is logged through Redis and
 * written by {@link LeaseLog}.
 */
@ApplicationScoped
public class NumberAllocator {

    /** Expired leases reclaimed per call, so expiry work stays small and spread over requests. */
    static final int RECLAIM_PER_CALL = 20;
    /** Expired leases ended per script call by a sweep: large enough to keep up, small enough not to stall Redis. */
    static final int RECLAIM_BATCH = 1_000;

    private final PoolScript script;
    private final PipelinedRedis redis;
    private final PoolState state;
    private final ActiveConfig config;
    private final Clock clock;
    private final int leasesPerIpPerMinute;
    private final int leasesPerVisitorPerMinute;
    private final Duration provisionalHold;
    private final double heldShare;

    @Inject
    NumberAllocator(PoolScript script, PipelinedRedis redis, PoolState state, ActiveConfig config, Clock clock, LimitsConfig limits) {
        this(script, redis, state, config, clock, limits.newLeasesPerIpPerMinute(), limits.newLeasesPerVisitorPerMinute(),
                limits.provisionalHold(), limits.heldShare());
    }

    NumberAllocator(PoolScript script, PipelinedRedis redis, PoolState state, ActiveConfig config, Clock clock,
                    int perIp, int perVisitor, Duration provisionalHold, double heldShare) {
        this.script = script;
        this.redis = redis;
        this.state = state;
        this.config = config;
        this.clock = clock;
        this.leasesPerIpPerMinute = perIp;
        this.leasesPerVisitorPerMinute = perVisitor;
        this.provisionalHold = provisionalHold;
        this.heldShare = heldShare;
    }

    /**
     * What a session asks of a pool.
     *
     * @param previousNumber the number this visitor's browser held last in this pool, if any: given back when
     *                       it is free and nobody has held it since (checked in Redis, so a wrong claim is harmless)
     * @param sourceKey      for static pools with several numbers: the traffic-source value that picks one
     * @param clientIp       counted against the per-IP limits on new and held leases (null: an internal caller, not limited)
     * @param visitJson      the visit's record, logged with its first lease (null when already logged)
     */
    public record LeaseRequest(String sessionId, String visitorId, String previousNumber, String sourceKey,
                               String clientIp, String visitJson) {

        public static LeaseRequest of(String sessionId, String visitorId) {
            return new LeaseRequest(sessionId, visitorId, null, null, null, null);
        }
    }

    /** The number for a session in a pool: one script call for a dynamic pool, none for a static one. */
    public Uni<Allocation> allocate(PoolSpec pool, LeaseRequest request) {
        if (!pool.isDynamic()) {
            String key = request.sourceKey();
            int index = Math.floorMod(key == null ? 0 : key.hashCode(), pool.numbers().size());
            return Uni.createFrom().item(new Allocation(pool.numbers().get(index), pool.id(), Outcome.STATIC, null));
        }
        long now = clock.millis();
        List<String> args = List.of(request.sessionId(), request.visitorId(), pool.exhaustion().name(),
                Integer.toString(RECLAIM_PER_CALL), orEmpty(request.previousNumber()), orEmpty(request.clientIp()),
                Integer.toString(leasesPerIpPerMinute), Integer.toString(leasesPerVisitorPerMinute),
                orEmpty(request.visitJson()), provisionalExpiry(pool, now), maxHeld(pool), maxHeld(pool));
        return withPool(pool, () -> script.run(pool, "alloc", now, args))
                .map(r -> toAllocation(pool, r));
    }

    /** Extends a live lease; empty when the session holds no lease any more (it should allocate again). */
    public Uni<Optional<Allocation>> ping(PoolSpec pool, String sessionId) {
        long now = clock.millis();
        List<String> args = List.of(sessionId, Integer.toString(RECLAIM_PER_CALL));
        return withPool(pool, () -> script.run(pool, "ping", now, args))
                .map(r -> "GONE".equals(r.get(0).toString()) ? Optional.empty() : Optional.of(toAllocation(pool, r)));
    }

    /** Ends a session's lease now (explicit end of visit); false when it held none. */
    public Uni<Boolean> release(PoolSpec pool, String sessionId) {
        return script.run(pool, "release", clock.millis(), List.of(sessionId))
                .map(r -> "RELEASED".equals(r.get(0).toString()));
    }

    /** Returns expired leases' numbers to the free set (also done a little on every allocation). */
    public Uni<Integer> reclaim(PoolSpec pool, int limit) {
        return withPool(pool, () -> script.run(pool, "reclaim", clock.millis(), List.of(Integer.toString(limit))))
                .map(r -> r.get(1).toInteger());
    }

    /** Ends every lease expired by now, a batch at a time: the lease log then holds every lease end up to now. */
    public Uni<Void> reclaimExpired(PoolSpec pool) {
        return reclaim(pool, RECLAIM_BATCH).chain(n -> n < RECLAIM_BATCH ? Uni.createFrom().voidItem() : reclaimExpired(pool));
    }

    /**
     * The last activity of each of these sessions that still holds a lease, as Redis has it: its expiry less the
     * pool's hold (before its start for a provisional lease that never pinged). PostgreSQL has a live lease's
     * activity only to within {@link PoolScript#SEEN_LOG_EVERY_MS}.
     */
    public Uni<Map<String, Instant>> lastActivity(PoolSpec pool, List<String> sessionIds) {
        if (sessionIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        Request zmscore = Request.cmd(Command.ZMSCORE).arg(PoolKeys.sess(pool.id()));
        sessionIds.forEach(zmscore::arg);
        return redis.send(zmscore).map(scores -> {
            Map<String, Instant> out = new HashMap<>();
            for (int i = 0; i < sessionIds.size(); i++) {
                Response expiry = scores.get(i);
                if (expiry != null) {
                    out.put(sessionIds.get(i), Instant.ofEpochMilli(Math.round(expiry.toDouble()) - pool.hold().toMillis()));
                }
            }
            return out;
        });
    }

    /** Runs a script call; when Redis has lost the pool (restart, flush) rebuilds it and runs it again. */
    private Uni<Response> withPool(PoolSpec pool, java.util.function.Supplier<Uni<Response>> call) {
        return call.get().chain(r -> "NOPOOL".equals(r.get(0).toString())
                ? state.rebuild(pool).chain(call::get)
                : Uni.createFrom().item(r));
    }

    private Allocation toAllocation(PoolSpec pool, Response r) {
        String status = r.get(0).toString();
        return switch (status) {
            case "NEW", "RETURNED", "RENEWED", "SHARED" -> new Allocation(r.get(1).toString(), pool.id(),
                    r.get(3).toInteger() == 1 ? Outcome.SHARED : Outcome.valueOf(status),
                    Instant.ofEpochMilli(r.get(2).toLong()));
            case "EXHAUSTED" -> new Allocation(defaultNumber(pool), null, Outcome.DEFAULT, null);
            case "LIMITED" -> new Allocation(defaultNumber(pool), null, Outcome.LIMITED, null);
            default -> throw new IllegalStateException("pool " + pool.id() + " answered " + status);
        };
    }

    /** When a new lease runs out unless the page pings first ('' when provisional holds are off). */
    private String provisionalExpiry(PoolSpec pool, long now) {
        if (provisionalHold.isZero() || provisionalHold.compareTo(pool.hold()) >= 0) {
            return "";
        }
        return Long.toString(now + provisionalHold.toMillis());
    }

    /**
     * Leases one client IP, and one visitor, may hold at once in a pool: its held-share of the pool's numbers,
     * at least one ("0": no limit when the share is 0). A script draining the pool then takes a tenth of it,
     * not all of it; an office behind one address still gets several numbers.
     */
    private String maxHeld(PoolSpec pool) {
        return heldShare <= 0 ? "0" : Integer.toString(Math.max(1, (int) (pool.numbers().size() * heldShare)));
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    private String defaultNumber(PoolSpec pool) {
        return config.site(pool.siteKey()).map(SiteSpec::defaultNumber).orElse(null);
    }
}
