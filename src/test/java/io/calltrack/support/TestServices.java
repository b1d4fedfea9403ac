package io.calltrack.support;

import io.calltrack.embedded.EmbeddedServices;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Real PostgreSQL and Redis for the test suite: the machine's own on 127.0.0.1 when they answer (a
 * dedicated database and Redis db index, wiped at start), embedded servers otherwise (or always, with
 * -Dcalltrack.test.embedded=true, to try what a machine without services does). Also gives the
 * suite its own copy of number-pool.yaml (see {@link TestPoolFile}) so reload tests can edit it.
 */
public class TestServices implements QuarkusTestResourceLifecycleManager {

    public static final String TEST_DB = "calltrack_test";
    private static boolean madeAfresh;
    private final List<EmbeddedServices.Running> started = new ArrayList<>();

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new java.util.HashMap<>();
        boolean forceEmbedded = Boolean.getBoolean("calltrack.test.embedded");
        if (!forceEmbedded && EmbeddedServices.reachable("127.0.0.1", 5432) && createLocalDatabase()) {
            config.put("calltrack.db.url", "postgresql://127.0.0.1:5432/" + TEST_DB);
            config.put("calltrack.db.user", "postgres");
        } else {
            EmbeddedServices.Running pg = EmbeddedServices.startPostgres(null);
            started.add(pg);
            config.put("calltrack.db.url", pg.url());
            config.put("calltrack.db.user", pg.user());
        }
        if (!forceEmbedded && EmbeddedServices.reachable("127.0.0.1", 6379)) {
            config.put("calltrack.redis.url", "redis://127.0.0.1:6379/3");
        } else {
            EmbeddedServices.Running redis = EmbeddedServices.startRedis(null);
            started.add(redis);
            config.put("calltrack.redis.url", redis.url());
        }
        CdrTable.create(config.get("calltrack.db.url"), config.get("calltrack.db.user"));
        config.put("calltrack.pool-file", TestPoolFile.create(config.get("calltrack.db.url"), config.get("calltrack.db.user")).toString());
        System.out.println("test services: " + config);
        return config;
    }

    @Override
    public void stop() {
        started.forEach(EmbeddedServices.Running::close);
    }

    /**
     * The suite's database, made afresh once per run (a run's first start): a database kept from an earlier run
     * may hold migrations of an earlier version of the code, or rows its tests left.
     */
    private static boolean createLocalDatabase() {
        try (var conn = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "")) {
            if (!madeAfresh) {
                conn.createStatement().execute("DROP DATABASE IF EXISTS " + TEST_DB + " WITH (FORCE)");
                madeAfresh = true;
            }
            var exists = conn.createStatement().executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + TEST_DB + "'");
            if (!exists.next()) {
                conn.createStatement().execute("CREATE DATABASE " + TEST_DB);
            }
            return true;
        } catch (SQLException e) {
            System.out.println("machine PostgreSQL not usable (" + e.getMessage() + "), using embedded");
            return false;
        }
    }

}
