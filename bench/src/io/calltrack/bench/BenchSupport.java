package io.calltrack.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/** What the benchmarks that read the API share. */
public final class BenchSupport {

    private BenchSupport() {
    }

    /** GET with an API key, body as text. */
    public static HttpResponse<String> get(HttpClient http, String url, String key, Duration timeout) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).header("Authorization", "Bearer " + key).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Waits up to two minutes for the service at {@code api} to answer ready; fails naming its log. */
    public static void awaitReady(HttpClient http, String api, Process service, Path log) throws Exception {
        for (int i = 0; i < 240 && service.isAlive(); i++) {
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(api + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // starting
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("service did not start; see " + log);
    }

    /**
     * Starts the packaged service as the README's run command does (embedded PostgreSQL and Redis under
     * {@code dir}), with a pool file, a port, the admin key and system properties, and waits until it is ready.
     */
    public static Process startService(Path dir, Path poolFile, int port, String adminKey, java.util.List<String> properties)
            throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("java"));
        properties.forEach(p -> command.add("-D" + p));
        command.addAll(java.util.List.of("-jar", "target/quarkus-app/quarkus-run.jar"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("app.log").toFile());
        pb.environment().remove("CALLTRACK_DB_URL");
        pb.environment().remove("CALLTRACK_REDIS_URL");
        pb.environment().put("CALLTRACK_DATA_DIR", dir.resolve("data").toString());
        pb.environment().put("CALLTRACK_POOL_FILE", poolFile.toString());
        pb.environment().put("PORT", String.valueOf(port));
        pb.environment().put("CALLTRACK_ADMIN_KEY", adminKey);
        Process p = pb.start();
        awaitReady(HttpClient.newHttpClient(), "http://127.0.0.1:" + port, p, dir.resolve("app.log"));
        return p;
    }

    /** Stops the service (it stops its own embedded servers on a normal shutdown); anything left is killed. */
    public static void stopService(Process service) throws InterruptedException {
        java.util.List<ProcessHandle> children = service.descendants().toList();
        service.destroy();
        if (!service.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            service.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /** Deletes a directory and everything in it; a failure is told, not thrown (the figures are already out). */
    public static void deleteTree(Path dir) {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());
        }
    }

    /** The q-quantile of sorted nanosecond samples, in milliseconds (nearest rank). */
    public static double percentileMs(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }

    /** A comma-separated list of durations ("1h,6h") the service ships in its application.properties (on the class path). */
    public static java.util.List<Duration> shippedDurations(String key) {
        try (var in = BenchSupport.class.getResourceAsStream("/application.properties")) {
            java.util.Properties p = new java.util.Properties();
            p.load(in);
            return java.util.Arrays.stream(p.getProperty(key).split(","))
                    .map(v -> Duration.parse("PT" + v.trim().toUpperCase(java.util.Locale.ROOT))).toList();
        } catch (Exception e) {
            throw new IllegalStateException("the service's " + key + " is not readable", e);
        }
    }
}
