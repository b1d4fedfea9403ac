package io.calltrack.faults;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged service given a setting it cannot use stops at start-up and names it, rather than running with a
 * default the operator did not mean: a value that does not read, and a misspelt key under a feature's prefix.
 */
class BadSettingsIT {

    private static String start(List<String> properties, Map<String, String> env) throws Exception {
        Path dir = Files.createTempDirectory("calltrack-settings");
        List<String> command = new java.util.ArrayList<>(List.of("java"));
        command.addAll(properties);
        command.addAll(List.of("-jar", "target/quarkus-app/quarkus-run.jar"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().put("CALLTRACK_DATA_DIR", dir.resolve("data").toString());
        pb.environment().put("PORT", "0");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "still running");
        assertNotEquals(0, p.exitValue(), out);
        RedisProcess.delete(dir);
        return out;
    }

    @Test
    void aValueThatDoesNotReadStopsTheStartNamingIt() throws Exception {
        String out = start(List.of(), Map.of("CALLTRACK_WEBHOOKS_TIMEOUT", "ten seconds"));
        assertTrue(out.contains("calltrack.webhooks.timeout") && out.contains("ten seconds"), out);
    }

    @Test
    void aMisspeltKeyStopsTheStartNamingIt() throws Exception {
        String out = start(List.of("-Dcalltrack.ami.timout=5s"), Map.of());
        assertTrue(out.contains("calltrack.ami.timout"), out);
    }
}
