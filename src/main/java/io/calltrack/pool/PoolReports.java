package io.calltrack.pool;

import io.calltrack.config.ActiveConfig;
import io.calltrack.config.PingInterval;
import io.calltrack.config.PoolSpec;
import io.calltrack.config.SizingDefaults;
import io.calltrack.pool.sizing.CallOdds;
import io.calltrack.pool.sizing.DelayDistribution;
import io.calltrack.pool.sizing.DelayFit;
import io.calltrack.pool.sizing.FittedDelays;
import io.calltrack.pool.sizing.PoolSizing;
import io.calltrack.pool.sizing.PoolSizing.Visit;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
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
    private final PingInterval pings;

    PoolReports(ReactiveRedisDataSource redis, Pool db, ActiveConfig config, Clock clock, PingInterval pings) {
        this.pings = pings;
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
    /** @param byHour the peak of each of the last 24 hours, oldest first */
    record Peaks(int lastHour, int lastDay, List<Integer> byHour) {
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
                            r.getOffsetDateTime("until").toInstant(), r.getOffsetDateTime("until").toInstant())));
                    List<Integer> byHour = new ArrayList<>();
                    for (int h = 24; h > 0; h--) {
                        byHour.add(PoolSizing.peak(held, Duration.ZERO, now.minus(Duration.ofHours(h)), now.minus(Duration.ofHours(h - 1))));
                    }
                    return new Peaks(byHour.get(23), PoolSizing.peak(held, Duration.ZERO, from, now), byHour);
                });
    }

    /**
     * @param delayBasis     measured (fitted to the pool's leases and calls) or configured (the defaults: too few calls)
     * @param measuredUpTo   how far the delay curve is the pool's own (null when configured)
     * @param assumedShare   share of late calls past that point, whose spread the defaults' shape stands for
     * @param odds           what weighs a call's holders: {@link DelayFit#fitOdds} of the same window (the defaults
     *                       with too few calls)
     */
    record Sizing(PoolSizing.Report report, String delayBasis, int callsMeasured, double callsAfterVisitShare,
                  double target, Instant from, Instant to, Duration hold, Duration measuredUpTo, Double assumedShare,
                  CallOdds odds) {
    }

    Uni<Sizing> sizing(PoolSpec pool, Duration window, Double target) {
        Instant to = clock.instant();
        Instant from = to.minus(window);
        SizingDefaults defaults = config.get().sizing();
        double goal = target != null ? target : defaults.target();
        // the fit and the replays take CPU time in proportion to the window's visits: off the event loop
        return Uni.combine().all().unis(visits(pool, from, to), calls(pool, from, to)).asTuple()
                .emitOn(Infrastructure.getDefaultWorkerPool()).map(t -> {
            List<Visit> visits = t.getItem1();
            List<DelayFit.CallOn> calls = t.getItem2();
            DelayDistribution configured = DelayDistribution.configured(defaults.callDelayQuantiles());
            long pingMs = pingMs(pool);
            boolean enough = calls.size() >= defaults.minCalls();
            FittedDelays fitted = enough
                    ? DelayFit.fit(visits, calls, from, to, pingMs, configured, defaults.callsAfterVisitShare()) : null;
            DelayDistribution delays = fitted != null ? fitted : configured;
            double afterShare = fitted != null ? fitted.afterShare() : defaults.callsAfterVisitShare();
            PoolSizing.Report report = PoolSizing.compute(new PoolSizing.Inputs(pool.numbers().size(), pool.hold(),
                    pool.lateCallWindow(), from, to, visits, delays, afterShare, goal));
            // a call's holders all lie in the window: weighed by the best fit of it, not by sizing's assumed far tail
            FittedDelays near = enough
                    ? DelayFit.fitOdds(visits, calls, from, to, pingMs, configured, defaults.callsAfterVisitShare()) : null;
            CallOdds odds = near != null ? new CallOdds(near, near.afterShare(), pingMs) : new CallOdds(delays, afterShare, pingMs);
            return new Sizing(report, delays.basis(), calls.size(), afterShare, goal, from, to, pool.hold(),
                    fitted == null ? null : fitted.measuredUpTo(), fitted == null ? null : fitted.assumedShare(), odds);
        });
    }

    /** The call model of a pool until its first fit: the configured defaults. */
    CallOdds configuredOdds(PoolSpec pool) {
        SizingDefaults d = config.get().sizing();
        return new CallOdds(DelayDistribution.configured(d.callDelayQuantiles()), d.callsAfterVisitShare(), pingMs(pool));
    }

    /** How often the pool's visits ping: delays shorter than that count as during the visit. */
    private long pingMs(PoolSpec pool) {
        return pings.of(pool).toMillis();
    }

    private Uni<List<Visit>> visits(PoolSpec pool, Instant from, Instant to) {
        return db.preparedQuery("""
                SELECT number, started_at, last_seen_at,
                       coalesce(ended_at, greatest(last_seen_at + make_interval(secs => $4), $3)) AS released
                FROM leases WHERE pool_id = $1 AND started_at <= $3 AND last_seen_at >= $2
                  AND coalesce(ended_at, 'infinity') >= $2""")
                .execute(Tuple.of(pool.id(), utc(from.minus(LOOKBEHIND)), utc(to), pool.hold().toMillis() / 1000.0))
                .map(rows -> {
                    List<Visit> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new Visit(r.getString("number"), r.getOffsetDateTime("started_at").toInstant(),
                            r.getOffsetDateTime("last_seen_at").toInstant(), r.getOffsetDateTime("released").toInstant())));
                    return out;
                });
    }

    /** Every call that rang on one of the pool's numbers, whoever it was attributed to (or none). */
    private Uni<List<DelayFit.CallOn>> calls(PoolSpec pool, Instant from, Instant to) {
        return db.preparedQuery("""
                SELECT did, started_at FROM calls WHERE pool_id = $1 AND did IS NOT NULL AND started_at BETWEEN $2 AND $3""")
                .execute(Tuple.of(pool.id(), utc(from), utc(to)))
                .map(rows -> {
                    List<DelayFit.CallOn> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new DelayFit.CallOn(r.getString("did"), r.getOffsetDateTime("started_at").toInstant()));
                    }
                    return out;
                });
    }
}
