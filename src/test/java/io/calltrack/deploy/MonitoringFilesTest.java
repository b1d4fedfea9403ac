package io.calltrack.deploy;

import io.calltrack.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The alert rules and the Grafana dashboard beside the manifests read metrics the service really exports. */
@QuarkusTest
class MonitoringFilesTest {

    private static final Pattern METRIC = Pattern.compile("\\b((?:calltrack|http_server)_[a-z_]+)\\b");

    static Set<String> named(Path file) throws Exception {
        Set<String> names = new TreeSet<>();
        Matcher m = METRIC.matcher(Files.readString(file));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    @Test
    void everyMetricTheAlertsAndTheDashboardReadIsExported() throws Exception {
        Set<String> wanted = new TreeSet<>(named(Path.of("k8s/monitoring/alerts.yaml")));
        wanted.addAll(named(Path.of("k8s/monitoring/grafana-dashboard.json")));
        assertTrue(wanted.size() >= 10, "names found: " + wanted);
        Api.when().get("/v1/calls?limit=1"); // an API request, so the HTTP server metrics have a /v1 series
        // the pool gauges come with their first refresh, the webhook gauge with its first count
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            String exported = Api.when().get("/q/metrics").then().statusCode(200).extract().asString();
            Set<String> missing = new TreeSet<>();
            for (String name : wanted) {
                if (!Pattern.compile("(?m)^" + name + "[{ ]").matcher(exported).find()) {
                    missing.add(name);
                }
            }
            assertTrue(missing.isEmpty(), "not in /q/metrics: " + missing);
        });
    }
}
