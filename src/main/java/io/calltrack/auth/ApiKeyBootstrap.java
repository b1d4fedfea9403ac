package io.calltrack.auth;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * The first admin key, with no CLI: CALLTRACK_ADMIN_KEY (calltrack.admin-key) is stored as an admin key for
 * every site when it starts; with the embedded database and no key at all, one is made and printed once.
 */
public class ApiKeyBootstrap {

    private static final Logger LOG = Logger.getLogger(ApiKeyBootstrap.class);

    void onStart(@Observes StartupEvent start, ApiKeys keys,
                 @ConfigProperty(name = "calltrack.admin-key") Optional<String> adminKey,
                 @ConfigProperty(name = "calltrack.embedded-db", defaultValue = "false") boolean embeddedDb) {
        if (adminKey.isPresent() && !adminKey.get().isBlank()) {
            if (adminKey.get().length() < 20) {
                throw new IllegalStateException("CALLTRACK_ADMIN_KEY must be at least 20 characters");
            }
            if (keys.create("bootstrap (CALLTRACK_ADMIN_KEY)", Role.ADMIN, null, adminKey.get()).await().indefinitely() != null) {
                LOG.info("stored the admin API key from CALLTRACK_ADMIN_KEY");
            }
            return;
        }
        if (keys.anyWorking().await().indefinitely()) {
            return;
        }
        if (embeddedDb) {
            ApiKeys.Created created = keys.create("bootstrap (first start)", Role.ADMIN, null).await().indefinitely();
            System.out.println("calltrack: first start, admin API key (shown only now, keep it): " + created.secret());
        } else {
            LOG.warn("no API key exists: set CALLTRACK_ADMIN_KEY to create the first admin key");
        }
    }
}
