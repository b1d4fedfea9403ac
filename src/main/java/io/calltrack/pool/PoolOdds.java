package io.calltrack.pool;

import io.calltrack.config.PoolSpec;
import io.calltrack.pool.sizing.CallOdds;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each dynamic pool's call model for the probability attribution gives a call: fitted to the pool's last week
 * (the same fit its sizing reports), refitted in the background when older than {@code calltrack.sizing.refit-every},
 * and the configured defaults until the first fit is in. Attribution never waits for a fit.
 */
@ApplicationScoped
public class PoolOdds {

    private static final Logger LOG = Logger.getLogger(PoolOdds.class);

    private record Fitted(PoolSpec pool, PoolReports.Sizing sizing, Instant at) {
    }

    private final PoolReports reports;
    private final Clock clock;
    private final Duration refitEvery;
    private final Map<String, Fitted> fitted = new ConcurrentHashMap<>();
    private final Map<String, Boolean> fitting = new ConcurrentHashMap<>();

    PoolOdds(PoolReports reports, Clock clock,
             @ConfigProperty(name = "calltrack.sizing.refit-every", defaultValue = "10m") Duration refitEvery) {
        this.reports = reports;
        this.clock = clock;
        this.refitEvery = refitEvery;
    }

    public CallOdds of(PoolSpec pool) {
        return latest(pool).map(PoolReports.Sizing::odds).orElseGet(() -> reports.configuredOdds(pool));
    }

    /** The pool's last week as last fitted; empty until the first fit. A stale one is refitted in the background. */
    Optional<PoolReports.Sizing> latest(PoolSpec pool) {
        Fitted f = fitted.get(pool.id());
        if (!fresh(f, pool)) {
            refit(pool);
        }
        return Optional.ofNullable(f).map(Fitted::sizing);
    }

    /**
     * The pool's sizing as fitted within {@code refit-every} for the pool as configured now, else fitted now: the pool
     * list shows every pool's figures without a week's fit per pool on each request.
     */
    Uni<PoolReports.Sizing> current(PoolSpec pool) {
        Fitted f = fitted.get(pool.id());
        if (fresh(f, pool)) {
            return Uni.createFrom().item(f.sizing());
        }
        return reports.sizing(pool, CallOdds.LOOKBACK, null).invoke(s -> fitted.put(pool.id(), new Fitted(pool, s, clock.instant())));
    }

    /** The pool's numbers changed: its sizing is computed again on the next look. */
    void forget(String poolId) {
        fitted.remove(poolId);
    }

    private boolean fresh(Fitted f, PoolSpec pool) {
        return f != null && f.pool().equals(pool) && !f.at().plus(refitEvery).isBefore(clock.instant());
    }

    private void refit(PoolSpec pool) {
        if (fitting.putIfAbsent(pool.id(), Boolean.TRUE) != null) {
            return;
        }
        reports.sizing(pool, CallOdds.LOOKBACK, null)
                .eventually(() -> fitting.remove(pool.id()))
                .subscribe().with(s -> fitted.put(pool.id(), new Fitted(pool, s, clock.instant())),
                        e -> LOG.warnf("pool %s: call model not refitted (%s); the previous one stays", pool.id(), e.toString()));
    }
}
