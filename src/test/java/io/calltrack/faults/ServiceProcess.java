package io.calltrack.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The packaged service (target/quarkus-app) as a child process on servers the drill runs: started, killed, started again. */
final class ServiceProcess implements AutoCloseable {

    static final String ADMIN_KEY = "ct_fault_drill_admin_key_0123456789";

    private final Map<String, String> env;
    private final Path log;
    private final int port;
    private Process process;

    ServiceProcess(Map<String, String> env, Path log, int port) {
        this.env = env;
        this.log = log;
        this.port = port;
    }

    String api() {
        return "http://127.0.0.1:" + port;
    }

    void start(HttpClient http) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("java", "-Dcalltrack.limits.new-leases-per-ip-per-minute=0",
                "-Dcalltrack.limits.new-leases-per-visitor-per-minute=0", "-Dcalltrack.limits.held-share=0", "-jar", "target/quarkus-app/quarkus-run.jar")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        pb.environment().put("PORT", String.valueOf(port));
        pb.environment().put("CALLTRACK_ADMIN_KEY", ADMIN_KEY);
        process = pb.start();
        for (int i = 0; i < 240 && process.isAlive(); i++) {
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(api() + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the service did not become ready; see " + log);
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL, as the OOM killer or a node failure does it. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
