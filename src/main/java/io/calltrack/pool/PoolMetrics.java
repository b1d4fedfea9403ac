package io.calltrack.pool;

import io.calltrack.config.ActiveConfig;
import io.calltrack.config.PoolSpec;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * Each dynamic pool's state as metrics, for the alert rules beside the manifests (near exhaustion, below its
 * recommended size): read from Redis every few seconds and kept, since a gauge is read synchronously.
 */
@ApplicationScoped
class PoolMetrics {

    /** What the gauges of one pool read. */
    private static final class Snapshot {
        volatile double size, free, leased, exhaustions, recommended = Double.NaN, accuracy = Double.NaN;
    }

    private final ActiveConfig config;
    private final PoolReports reports;
    private final PoolOdds odds;
    private final MeterRegistry metrics;
    private final Map<String, Snapshot> pools = new ConcurrentHashMap<>();

    PoolMetrics(ActiveConfig config, PoolReports reports, PoolOdds odds, MeterRegistry metrics) {
        this.config = config;
        this.reports = reports;
        this.odds = odds;
        this.metrics = metrics;
    }

    @Scheduled(every = "${calltrack.pool-metrics-every:15s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        var dynamic = config.get().dynamicPools();
        // a pool gone from the file reads NaN from here on
        pools.keySet().retainAll(dynamic.stream().map(PoolSpec::id).collect(Collectors.toSet()));
        if (dynamic.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.join().all(dynamic.stream().map(p -> reports.live(p).invoke(live -> {
                    Snapshot s = pools.computeIfAbsent(p.id(), id -> register(p));
                    s.size = p.numbers().size();
                    s.free = live.free();
                    s.leased = live.leasedNumbers();
                    s.exhaustions = live.exhaustions();
                    odds.latest(p).ifPresent(z -> {
                        s.recommended = z.report().recommendedSize();
                        s.accuracy = z.report().expectedAccuracy() == null ? Double.NaN : z.report().expectedAccuracy();
                    });
                }).onFailure().recoverWithNull()).toList())
                .andCollectFailures().replaceWithVoid();
    }

    /** One gauge of a pool: its name, what it says, and the snapshot field it reads. */
    private record PoolGauge(String name, String description, ToDoubleFunction<Snapshot> read) {
    }

    private static final List<PoolGauge> GAUGES = List.of(
            new PoolGauge("calltrack.pool.numbers", "numbers in the pool", s -> s.size),
            new PoolGauge("calltrack.pool.free", "numbers free to lease", s -> s.free),
            new PoolGauge("calltrack.pool.leased", "numbers leased to at least one visit", s -> s.leased),
            new PoolGauge("calltrack.pool.recommended.size", "the size that reaches the sizing target, from the last week",
                    s -> s.recommended),
            new PoolGauge("calltrack.pool.expected.accuracy", "share of calls expected on the right visit at the current size",
                    s -> s.accuracy));

    private Snapshot register(PoolSpec pool) {
        Tags tags = Tags.of("pool", pool.id(), "site", pool.siteKey());
        String id = pool.id();
        for (PoolGauge g : GAUGES) {
            Gauge.builder(g.name(), pools, m -> value(m, id, g.read())).tags(tags).description(g.description()).register(metrics);
        }
        FunctionCounter.builder("calltrack.pool.exhaustions", pools, m -> value(m, id, x -> x.exhaustions)).tags(tags)
                .description("visits that found every number leased").register(metrics);
        return new Snapshot();
    }

    private static double value(Map<String, Snapshot> pools, String id, ToDoubleFunction<Snapshot> read) {
        Snapshot s = pools.get(id);
        return s == null ? Double.NaN : read.applyAsDouble(s);
    }
}
