package io.calltrack.config;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.annotation.Priority;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Loads number-pool.yaml at start-up and on reload. A file is put in force only once it is valid as a
 * whole and written to PostgreSQL and Redis; until then the previous configuration keeps serving.
 */
@ApplicationScoped
public class PoolFileService {

    private static final Logger LOG = Logger.getLogger(PoolFileService.class);

    private final Path file;
    private final ActiveConfig active;
    private final ConfigSync sync;
    private final Event<ConfigApplied> applied;
    /** The text of the file as last put in force, and of the last one refused (told once, not every check). */
    private volatile String inForce;
    private volatile String refused;
    /** The last refresh started: the next waits for it (whatever its outcome). */
    private final AtomicReference<CompletableFuture<Void>> queue = new AtomicReference<>(CompletableFuture.completedFuture(null));

    PoolFileService(@ConfigProperty(name = "calltrack.pool-file") String file, ActiveConfig active,
                    ConfigSync sync, Event<ConfigApplied> applied) {
        this.file = Path.of(file);
        this.active = active;
        this.sync = sync;
        this.applied = applied;
    }

    void onStart(@Observes @Priority(10) StartupEvent event) {
        String text = readText();
        PoolFile loaded = PoolFileParser.parse(text, System::getenv);
        apply(loaded).await().indefinitely();
        inForce = text;
        LOG.infof("number-pool.yaml loaded from %s: %d site(s), %d pool(s), %d PBX(es)", file.toAbsolutePath(),
                loaded.sites().size(), loaded.pools().size(), loaded.pbxes().size());
    }

    /** Re-reads the file; an invalid one fails with {@link InvalidPoolFileException} and changes nothing. */
    public Uni<PoolFile> reload() {
        return refresh().invoke(f -> LOG.infof("number-pool.yaml reloaded: %d site(s), %d pool(s)", f.sites().size(), f.pools().size()));
    }

    /**
     * Re-reads the file and the number directory (a reload, the file changed, or another replica's change to
     * follow). One at a time: a reload request and the file check may meet, and two writes of the configuration
     * to PostgreSQL at once would race.
     */
    Uni<PoolFile> refresh() {
        return Uni.createFrom().deferred(() -> {
            CompletableFuture<Void> mine = new CompletableFuture<>();
            CompletableFuture<Void> before = queue.getAndSet(mine);
            return Uni.createFrom().completionStage(before)
                    .chain(this::readAndApply)
                    .eventually(() -> mine.complete(null));
        });
    }

    private Uni<PoolFile> readAndApply() {
        return Uni.createFrom().item(this::readText)
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(text -> {
                    PoolFile loaded = PoolFileParser.parse(text, System::getenv);
                    return apply(loaded).invoke(() -> inForce = text).replaceWith(loaded);
                });
    }

    /**
     * Reloads when the file's text changed since it was put in force: a ConfigMap mounted on Kubernetes, or a
     * file edited in place, takes effect without a reload request (each replica sees its own copy change). An
     * invalid file is told once, with its problems, and the running configuration stays.
     */
    @Scheduled(every = "${calltrack.pool-file.check-every:5s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> reloadIfChanged() {
        return Uni.createFrom().item(() -> {
                    try {
                        return readText();
                    } catch (InvalidPoolFileException e) {
                        return null; // unreadable for now (a ConfigMap mid-update): the next check sees
                    }
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(text -> {
                    if (text == null || text.equals(inForce) || text.equals(refused)) {
                        return Uni.createFrom().voidItem();
                    }
                    return reload().replaceWithVoid().onFailure(InvalidPoolFileException.class).recoverWithUni(e -> {
                        refused = text;
                        LOG.warnf("number-pool.yaml changed but is not valid; the running configuration stays: %s", e.getMessage());
                        return Uni.createFrom().voidItem();
                    });
                })
                .onFailure().invoke(e -> LOG.warnf("number-pool.yaml changed but could not be applied (tried again): %s", e.toString()))
                .onFailure().recoverWithNull();
    }

    private Uni<Void> apply(PoolFile loaded) {
        return sync.write(loaded)
                .chain(() -> Uni.createFrom().completionStage(() -> applied.fireAsync(new ConfigApplied(loaded))))
                .chain(sync::directory)
                .invoke(numbers -> active.set(loaded, numbers))
                .replaceWithVoid();
    }

    private String readText() {
        try {
            if (Files.size(file) > YamlShape.MAX_CHARS * 4L) {
                // a UTF-8 character is at most 4 bytes: a file this large is too large whatever it holds
                throw new InvalidPoolFileException(List.of(new ConfigProblem("", 0, file.toAbsolutePath() + ": "
                        + YamlShape.TOO_LARGE)));
            }
            return Files.readString(file);
        } catch (IOException e) {
            throw new InvalidPoolFileException(List.of(new ConfigProblem("", 0,
                    "cannot read " + file.toAbsolutePath() + ": " + e.getMessage())));
        }
    }
}
