package io.calltrack.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A redis-server process of the drill's own (the binary the embedded-redis library ships), so it can be
 * killed with SIGKILL and started again on the same port, with or without its append-only file.
 */
final class RedisProcess implements AutoCloseable {

    private final Path binary;
    private final Path dir;
    private final int port;
    private Process process;

    /** Debian's redis-server (as the Redis Cluster nodes run), for figures that compare the two. */
    static RedisProcess debian(Path dir, int port) throws IOException {
        return new RedisProcess(Files.createDirectories(dir), port, Path.of("/usr/bin/redis-server"));
    }

    private RedisProcess(Path dir, int port, Path binary) {
        this.dir = dir;
        this.port = port;
        this.binary = binary;
    }

    RedisProcess(Path dir, int port) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.port = port;
        this.binary = dir.resolve("redis-server");
        try (InputStream in = RedisProcess.class.getResourceAsStream("/redis-server-6.2.6-v5-linux-amd64")) {
            if (in == null) {
                throw new IOException("embedded-redis has no linux-amd64 redis-server on the class path");
            }
            Files.copy(in, binary, StandardCopyOption.REPLACE_EXISTING);
        }
        binary.toFile().setExecutable(true);
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts redis-server; with {@code aof} it keeps an append-only file fsynced every second (the documented setting). */
    void start(boolean aof) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--dir", dir.toString(), "--save", "", "--appendonly", aof ? "yes" : "no", "--appendfsync", "everysec"));
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        for (int i = 0; i < 200; i++) {
            if ("+PONG".equals(command("PING"))) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("redis-server did not start; see " + dir.resolve("redis.log"));
    }

    /** SIGKILL: no shutdown, no final save. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Deletes the append-only files, so the next start is empty (a Redis without persistence after a crash). */
    void forget() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                if (f.getFileName().toString().startsWith("appendonly") || f.getFileName().toString().endsWith(".rdb")) {
                    Files.walk(f).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    /** One command over RESP, answered as its first reply line (null when Redis is not reachable). */
    String command(String... args) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            s.setSoTimeout(2_000);
            StringBuilder req = new StringBuilder("*" + args.length + "\r\n");
            for (String a : args) {
                req.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
            }
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != -1 && c != '\r'; c = in.read()) {
                line.append((char) c);
            }
            return line.toString();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    static void delete(Path dir) {
        try (var all = Files.walk(dir)) {
            all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
