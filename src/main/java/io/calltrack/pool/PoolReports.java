package io.calltrack.pool;

import io.calltrack.config.ActiveConfig;
import io.calltrack.config.PoolSpec;
import io.calltrack.config.SizingDefaults;
import io.calltrack.pool.sizing.DelayDistribution;
import io.calltrack.pool.sizing.PoolSizing;
import io.calltrack.pool.sizing.PoolSizing.Visit;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.calltrack.Clocks.utc;

/** Live pool statistics (Redis) and sizing from the lease history and attributed calls (PostgreSQL). */
@ApplicationScoped
class PoolReports {

    /** Visits that ended this long before the window can still hold numbers inside it. */
    private static final Duration LOOKBEHIND = Duration.ofDays(2);

    private final ReactiveRedisDataSource redis;
    private final Pool db;
    private final ActiveConfig config;
    private final Clock clock;

    PoolReports(ReactiveRedisDataSource redis, Pool db, ActiveConfig config, Clock clock) {
        this.redis = redis;
        this.db = db;
        this.config = config;
        this.clock = clock;
    }

    record LiveStats(long free, long leasedNumbers, long sessions, long blocked, long exhaustions) {
        static final LiveStats NONE = new LiveStats(0, 0, 0, 0, 0);
    }

    Uni<LiveStats> live(PoolSpec pool) {
        if (!pool.isDynamic()) {
            return Uni.createFrom().item(LiveStats.NONE);
        }
        String id = pool.id();
        return Uni.combine().all().unis(redis.sortedSet(String.class).zcard(PoolKeys.free(id)),
                        redis.hash(String.class).hvals(PoolKeys.lease(id)), redis.set(String.class).scard(PoolKeys.blocked(id)),
                        redis.hash(String.class).hgetall(PoolKeys.meta(id)))
                .with((free, leases, blocked, meta) -> new LiveStats(free,
                        leases.stream().map(rec -> rec.substring(0, rec.indexOf('|'))).distinct().count(), leases.size(),
                        blocked, Long.parseLong(meta.getOrDefault("exhaustions", "0"))));
    }

    /** Peak counts of numbers leased at once in the last hour and the last day. */
    record Peaks(int lastHour, int lastDay) {
    }

    /** Both peaks from one read of the last day's lease history. */
    Uni<Peaks> peaks(PoolSpec pool) {
        Instant now = clock.instant();
        Instant from = now.minus(Duration.ofDays(1));
        return db.preparedQuery("""
                SELECT number, started_at, coalesce(ended_at, greatest(last_seen_at + make_interval(secs => $3), $4)) AS until
                FROM leases WHERE pool_id = $1 AND coalesce(ended_at, 'infinity') >= $2""")
                .execute(Tuple.of(pool.id(), utc(from), pool.hold().toMillis() / 1000.0, utc(now)))
                .map(rows -> {
                    List<Visit> held = new ArrayList<>();
                    rows.forEach(r -> held.add(new Visit(r.getString("number"), r.getOffsetDateTime("started_at").toInstant(),
                            r.getOffsetDateTime("until").toInstant())));
                    return new Peaks(PoolSizing.peak(held, Duration.ZERO, now.minus(Duration.ofHours(1)), now),
                            PoolSizing.peak(held, Duration.ZERO, from, now));
                });
    }

    record Sizing(PoolSizing.Report report, String delayBasis, int callsMeasured, double callsAfterVisitShare,
                  double target, Instant from, Instant to, Duration hold) {
    }

    Uni<Sizing> sizing(PoolSpec pool, Duration window, Double target) {
        Instant to = clock.instant();
        Instant from = to.minus(window);
        SizingDefaults defaults = config.get().sizing();
        double goal = target != null ? target : defaults.target();
        return Uni.combine().all().unis(visits(pool, from, to), callTimings(pool, from, to)).with((visits, calls) -> {
            List<Duration> after = calls.stream().filter(d -> !d.isNegative() && !d.isZero()).toList();
            boolean measured = calls.size() >= defaults.minCalls() && !after.isEmpty();
            DelayDistribution delays = measured ? DelayDistribution.measured(after)
                    : DelayDistribution.configured(defaults.callDelayQuantiles());
            double afterShare = measured ? (double) after.size() / calls.size() : defaults.callsAfterVisitShare();
            PoolSizing.Report report = PoolSizing.compute(new PoolSizing.Inputs(pool.numbers().size(), pool.hold(),
                    from, to, visits, delays, afterShare, goal));
            return new Sizing(report, delays.basis(), calls.size(), afterShare, goal, from, to, pool.hold());
        });
    }

    private Uni<List<Visit>> visits(PoolSpec pool, Instant from, Instant to) {
        return db.preparedQuery("""
                SELECT number, started_at, last_seen_at FROM leases
                WHERE pool_id = $1 AND started_at <= $3 AND last_seen_at >= $2""")
                .execute(Tuple.of(pool.id(), utc(from.minus(LOOKBEHIND)), utc(to)))
                .map(rows -> {
                    List<Visit> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new Visit(r.getString("number"), r.getOffsetDateTime("started_at").toInstant(),
                            r.getOffsetDateTime("last_seen_at").toInstant())));
                    return out;
                });
    }

    /** For each call attributed to a visit's lease: call time minus visit end (negative: during the visit). */
    private Uni<List<Duration>> callTimings(PoolSpec pool, Instant from, Instant to) {
        return db.preparedQuery("""
                SELECT c.started_at, l.last_seen_at FROM calls c
                JOIN leases l ON l.session_id = c.session_id AND l.number = c.did
                WHERE c.pool_id = $1 AND c.attribution_method IN ('LIVE_LEASE', 'RECENT_LEASE')
                  AND c.started_at BETWEEN $2 AND $3""")
                .execute(Tuple.of(pool.id(), utc(from), utc(to)))
                .map(rows -> {
                    List<Duration> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(Duration.between(r.getOffsetDateTime("last_seen_at"), r.getOffsetDateTime("started_at")));
                    }
                    return out;
                });
    }
}
