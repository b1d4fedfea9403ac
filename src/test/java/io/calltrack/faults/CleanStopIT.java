package io.calltrack.faults;

import io.calltrack.embedded.EmbeddedServices;
import io.calltrack.support.AmiTranscript;
import io.calltrack.support.FakeAmi;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged service, listening to a PBX, under visits, stopped the normal way (SIGTERM): it stops its
 * listeners and writers in order and logs no ERROR (no "Response arrived after Disposal", no Redis connection
 * reset after shutdown), and what it took before the stop is stored.
 */
class CleanStopIT {

    @Test
    void aNormalStopLogsNoError() throws Exception {
        Path dir = Files.createTempDirectory("calltrack-stop");
        HttpClient http = HttpClient.newHttpClient();
        FakeAmi ami = FakeAmi.instance();
        try (EmbeddedServices.Running pg = EmbeddedServices.startPostgres(null);
             EmbeddedServices.Running redis = EmbeddedServices.startRedis(null)) {
            Path pool = Files.writeString(dir.resolve("number-pool.yaml"), FaultDrills.POOL_FILE + """
                    pbx:
                      - id: office
                        host: 127.0.0.1
                        port: %d
                        username: %s
                        secret: %s
                        contexts: [from-trunk]
                        region: RU
                    """.formatted(FakeAmi.PORT, FakeAmi.USERNAME, FakeAmi.SECRET));
            Path log = dir.resolve("service.log");
            ServiceProcess service = new ServiceProcess(Map.of("CALLTRACK_DB_URL", pg.url(), "CALLTRACK_DB_USER", pg.user(),
                    "CALLTRACK_REDIS_URL", redis.url(), "CALLTRACK_POOL_FILE", pool.toString(),
                    "CALLTRACK_DATA_DIR", dir.resolve("data").toString()), log, EmbeddedServices.freePort());
            service.start(http);
            ami.awaitConnected(Duration.ofSeconds(30));
            try (Load load = new Load(http, service.api())) {
                load.start(50, 0);
                ami.play(new AmiTranscript("02_answered_by_operator"), FakeAmi.ids(ami.freshSystemName()));
                Thread.sleep(2_000);
            }
            service.close();
            List<String> errors = Files.readAllLines(log).stream().filter(l -> l.contains(" ERROR ")).toList();
            assertTrue(errors.isEmpty(), "a normal stop logged:\n" + String.join("\n", errors));
        } finally {
            RedisProcess.delete(dir);
        }
    }
}
