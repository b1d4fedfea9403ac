package io.calltrack.support;

import org.eclipse.microprofile.config.ConfigProvider;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * Makes the service's PostgreSQL database unreachable and brings it back: new connections refused, open
 * ones cut, as a restart or failover does. Works on the machine's server and on the embedded one (both run
 * the suite as a superuser).
 */
public final class DatabaseOutage implements AutoCloseable {

    private final String database;
    private final String adminUrl;
    private final String user;

    private DatabaseOutage() throws SQLException {
        var config = ConfigProvider.getConfig();
        URI url = URI.create(config.getValue("calltrack.db.url", String.class));
        this.database = url.getPath().substring(1);
        this.adminUrl = "jdbc:postgresql://" + url.getHost() + ":" + url.getPort() + "/postgres";
        this.user = config.getValue("calltrack.db.user", String.class);
        run("ALTER DATABASE \"" + database + "\" ALLOW_CONNECTIONS false");
        run("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "'");
    }

    public static DatabaseOutage begin() throws SQLException {
        return new DatabaseOutage();
    }

    /** The database takes connections again. */
    @Override
    public void close() throws SQLException {
        run("ALTER DATABASE \"" + database + "\" ALLOW_CONNECTIONS true");
    }

    private void run(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(adminUrl, user, "")) {
            c.createStatement().execute(sql);
        }
    }
}
