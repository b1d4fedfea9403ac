package io.calltrack.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Real PostgreSQL and Redis servers started in-process, so the service (and its tests) run on a machine
 * with nothing installed. Production points at external servers instead (CALLTRACK_DB_URL and
 * CALLTRACK_REDIS_URL).
 */
public final class EmbeddedServices {

    private EmbeddedServices() {
    }

    /** A started server: where to reach it and how to stop it. */
    public record Running(String url, String user, AutoCloseable stopper) implements AutoCloseable {
        @Override
        public void close() {
            try {
                stopper.close();
            } catch (Exception e) {
                System.err.println("calltrack: could not stop embedded server " + url + ": " + e.getMessage());
            }
        }
    }

    /**
     * PostgreSQL 15 on a free loopback port. With {@code dataDir} set the data is kept there across
     * restarts; null means a throwaway cluster (tests).
     */
    public static Running startPostgres(Path dataDir) {
        try {
            return startPostgres(dataDir, freePort());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL", e);
        }
    }

    /** As {@link #startPostgres(Path)}, on a given port: a cluster stopped and started again keeps its address. */
    public static Running startPostgres(Path dataDir, int port) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", dataDir == null ? "off" : "on");
            if (dataDir != null) {
                Files.createDirectories(dataDir);
                builder.setDataDirectory(dataDir).setCleanDataDirectory(false);
            }
            EmbeddedPostgres postgres = builder.start();
            return new Running("postgresql://127.0.0.1:" + postgres.getPort() + "/postgres", "postgres", postgres);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL", e);
        }
    }

    /**
     * Redis on a free loopback port. With {@code dataDir} set it keeps an append-only file there, fsynced every
     * second (what production Redis needs too): the visit records and lease history wait in Redis streams until
     * PostgreSQL has them, so a Redis killed without it loses every visit answered since its last snapshot.
     */
    public static Running startRedis(Path dataDir) {
        try {
            int port = freePort();
            var builder = RedisServer.newRedisServer().port(port).bind("127.0.0.1").onShutdownForceStop(true);
            if (dataDir != null) {
                Files.createDirectories(dataDir);
                builder.setting("dir " + dataDir.toAbsolutePath()).setting("save 60 1")
                        .setting("appendonly yes").setting("appendfsync everysec");
            } else {
                builder.setting("save \"\"").setting("appendonly no");
            }
            RedisServer redis = builder.build();
            redis.start();
            return new Running("redis://127.0.0.1:" + port, null, redis::stop);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded Redis", e);
        }
    }

    /** True when something accepts TCP connections at host:port within a short timeout. */
    public static boolean reachable(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public static int freePort() throws IOException {
        return freePorts(1).get(0);
    }

    /**
     * {@code n} different free ports. Each socket stays open until all are drawn: the OS may hand a port just closed
     * out again, and two servers given the same one would leave one of them unstarted.
     */
    public static List<Integer> freePorts(int n) throws IOException {
        List<ServerSocket> open = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket socket = new ServerSocket(0);
                open.add(socket);
                socket.setReuseAddress(true);
            }
            return open.stream().map(ServerSocket::getLocalPort).toList();
        } finally {
            for (ServerSocket socket : open) {
                socket.close();
            }
        }
    }
}
