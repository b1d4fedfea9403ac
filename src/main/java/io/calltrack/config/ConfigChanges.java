package io.calltrack.config;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Keeps replicas' configuration in step. A replica that reloads number-pool.yaml or changes a pool's numbers
 * bumps a version number in Redis and publishes it; every replica re-checks on the message and every second
 * compares the version with the last it applied and, when it is newer, re-reads its file and the number
 * directory. A replica that missed a message (cut off from Redis, restarting) catches up on its next check.
 */
@ApplicationScoped
public class ConfigChanges {

    private static final Logger LOG = Logger.getLogger(ConfigChanges.class);
    static final String VERSION = "ct:config:version";
    static final String CHANNEL = "ct:config:changes";

    private final ReactiveRedisDataSource redis;
    private final PoolFileService files;
    /** The newest version this replica has applied (its own changes included). */
    private volatile long applied;

    ConfigChanges(ReactiveRedisDataSource redis, PoolFileService files) {
        this.redis = redis;
        this.files = files;
    }

    /**
     * Before the file is first loaded: the version that load is current for. A change announced between this read
     * and the load is applied again on the first check, which is harmless; one taken as current without being
     * loaded would be lost.
     */
    void onStart(@Observes @Priority(5) StartupEvent event) {
        try {
            Long version = redis.value(Long.class).get(VERSION).await().atMost(Duration.ofSeconds(5));
            applied = version == null ? 0 : version;
        } catch (RuntimeException e) {
            applied = 0; // Redis not there yet: the first check re-reads if anything was announced
        }
        redis.pubsub(String.class).subscribe(CHANNEL, message -> check().subscribe().with(ok -> { }, failed -> { }))
                .subscribe().with(subscribed -> { }, e -> LOG.debugf("no configuration change messages (checks go on): %s", e.getMessage()));
    }

    /** After a change this replica made and applied: the others follow at once (or on their next check). */
    public Uni<Void> announce() {
        return redis.value(Long.class).incr(VERSION).invoke(v -> applied = Math.max(applied, v))
                .chain(v -> redis.pubsub(String.class).publish(CHANNEL, String.valueOf(v))).replaceWithVoid()
                // the change stands here; the others catch up once Redis is back
                .onFailure().invoke(e -> LOG.warnf("could not announce a configuration change: %s", e.getMessage()))
                .onFailure().recoverWithNull();
    }

    @Scheduled(every = "${calltrack.config.check-every:1s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> check() {
        return redis.value(Long.class).get(VERSION).chain(v -> {
            long version = v == null ? 0 : v;
            if (version <= applied) {
                return Uni.createFrom().voidItem();
            }
            return files.refresh().invoke(() -> {
                applied = Math.max(applied, version);
                LOG.infof("configuration version %d applied (changed on another replica)", version);
            }).replaceWithVoid();
        }).onFailure().invoke(e -> {
            if (e instanceof InvalidPoolFileException) {
                LOG.warnf("another replica changed the configuration, but this replica's number-pool.yaml is invalid: %s",
                        e.getMessage());
            } else {
                LOG.debugf("configuration check skipped: %s", e.getMessage());
            }
        }).onFailure().recoverWithNull();
    }
}
