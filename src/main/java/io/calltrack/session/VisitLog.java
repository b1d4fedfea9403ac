package io.calltrack.session;

import io.calltrack.Background;
import io.calltrack.config.ActiveConfig;
import io.calltrack.config.SiteSpec;
import io.calltrack.pool.VisitSink;
import io.calltrack.redis.StreamBatches;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.stream.ReactiveStreamCommands;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.XAddArgs;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;

/**
 * Visits that take no lease (static pools, bots) are logged to a per-site Redis stream in the request,
 * one XADD, and written to PostgreSQL in batches from there. Visits with a lease ride on the pool's
 * lease log instead (see pool.lua), so every request makes one Redis round trip either way.
 */
@ApplicationScoped
class VisitLog {

    private final ReactiveStreamCommands<String, String, String> streams;
    private final StreamBatches batches;
    private final VisitRecords records;
    private final Pool db;
    private final ActiveConfig config;

    VisitLog(ReactiveRedisDataSource redis, StreamBatches batches, VisitRecords records, Pool db, ActiveConfig config) {
        this.streams = redis.stream(String.class, String.class, String.class);
        this.batches = batches;
        this.records = records;
        this.db = db;
        this.config = config;
    }

    static String key(String siteKey) {
        return "ct:{site:" + siteKey + "}:visits";
    }

    Uni<Void> log(String siteKey, VisitRecord visit) {
        return streams.xadd(key(siteKey), new XAddArgs().maxlen(1_000_000L).nearlyExactTrimming(), Map.of("j", records.toJson(visit)))
                .replaceWithVoid();
    }

    @Scheduled(every = "${calltrack.visit-log.flush-every:1s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> flushAll() {
        return Background.eachInTurn(config.get().sites(), this::drain, "writing visits of site", SiteSpec::key).replaceWithVoid();
    }

    Uni<Integer> drain(SiteSpec site) {
        return batches.drain(key(site.key()), this::write);
    }

    private Uni<Void> write(List<StreamMessage<String, String, String>> messages) {
        List<VisitSink.Visit> visits = messages.stream().map(m -> m.payload().get("j")).filter(j -> j != null)
                .map(j -> new VisitSink.Visit(j, null, null)).toList();
        return db.withTransaction(tx -> records.store(tx, visits));
    }
}
