package io.calltrack;

import io.calltrack.embedded.EmbeddedServices;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts Calltrack. When no PostgreSQL or Redis is configured (CALLTRACK_DB_URL, CALLTRACK_REDIS_URL),
 * embedded servers are started first, with their data under CALLTRACK_DATA_DIR (default ./data), so a
 * newcomer gets a working service from one command; they are stopped when the service stops.
 */
@QuarkusMain
public final class CalltrackMain {

    private CalltrackMain() {
    }

    public static void main(String... args) {
        // Quarkus' own check answers a malformed URI with an empty 400 before any route; HttpGuard answers it as
        // problem+json naming the parameter instead
        System.setProperty("vertx.disableURIValidation", "true");
        List<EmbeddedServices.Running> embedded = new ArrayList<>();
        Path dataDir = Path.of(setting("CALLTRACK_DATA_DIR", "calltrack.data-dir", "data"));
        if (setting("CALLTRACK_DB_URL", "calltrack.db.url", null) == null) {
            System.out.println("calltrack: no CALLTRACK_DB_URL set, starting embedded PostgreSQL in " + dataDir.resolve("postgres"));
            EmbeddedServices.Running pg = EmbeddedServices.startPostgres(dataDir.resolve("postgres").toAbsolutePath());
            embedded.add(pg);
            System.setProperty("calltrack.db.url", pg.url());
            System.setProperty("calltrack.db.user", pg.user());
            System.setProperty("calltrack.embedded-db", "true");
        }
        if (setting("CALLTRACK_REDIS_URL", "calltrack.redis.url", null) == null) {
            System.out.println("calltrack: no CALLTRACK_REDIS_URL set, starting embedded Redis");
            EmbeddedServices.Running redis = EmbeddedServices.startRedis(dataDir.resolve("redis").toAbsolutePath());
            embedded.add(redis);
            System.setProperty("calltrack.redis.url", redis.url());
        }
        try {
            Quarkus.run(args);
        } finally {
            // Quarkus.run returns once the application has stopped, so nothing uses them any more.
            embedded.forEach(EmbeddedServices.Running::close);
        }
    }

    private static String setting(String env, String property, String fallback) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(env);
        }
        return value == null || value.isBlank() ? fallback : value;
    }
}
