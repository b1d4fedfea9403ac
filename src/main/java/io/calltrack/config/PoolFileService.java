package io.calltrack.config;

import io.quarkus.runtime.StartupEvent;
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

    PoolFileService(@ConfigProperty(name = "calltrack.pool-file") String file, ActiveConfig active,
                    ConfigSync sync, Event<ConfigApplied> applied) {
        this.file = Path.of(file);
        this.active = active;
        this.sync = sync;
        this.applied = applied;
    }

    void onStart(@Observes @Priority(10) StartupEvent event) {
        PoolFile loaded = read();
        apply(loaded).await().indefinitely();
        LOG.infof("number-pool.yaml loaded from %s: %d site(s), %d pool(s), %d PBX(es)", file.toAbsolutePath(),
                loaded.sites().size(), loaded.pools().size(), loaded.pbxes().size());
    }

    /** Re-reads the file; an invalid one fails with {@link InvalidPoolFileException} and changes nothing. */
    public Uni<PoolFile> reload() {
        return refresh().invoke(f -> LOG.infof("number-pool.yaml reloaded: %d site(s), %d pool(s)", f.sites().size(), f.pools().size()));
    }

    /** Re-reads the file and the number directory (a reload, or another replica's change to follow). */
    Uni<PoolFile> refresh() {
        return Uni.createFrom().item(this::read)
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .call(this::apply);
    }

    private Uni<Void> apply(PoolFile loaded) {
        return sync.write(loaded)
                .chain(() -> Uni.createFrom().completionStage(() -> applied.fireAsync(new ConfigApplied(loaded))))
                .chain(sync::directory)
                .invoke(numbers -> active.set(loaded, numbers))
                .replaceWithVoid();
    }

    private PoolFile read() {
        String text;
        try {
            if (Files.size(file) > YamlShape.MAX_CHARS * 4L) {
                // a UTF-8 character is at most 4 bytes: a file this large is too large whatever it holds
                throw new InvalidPoolFileException(List.of(new ConfigProblem("", 0, file.toAbsolutePath() + ": "
                        + YamlShape.TOO_LARGE)));
            }
            text = Files.readString(file);
        } catch (IOException e) {
            throw new InvalidPoolFileException(List.of(new ConfigProblem("", 0,
                    "cannot read " + file.toAbsolutePath() + ": " + e.getMessage())));
        }
        return PoolFileParser.parse(text, System::getenv);
    }
}
