package io.calltrack.telephony;

import io.calltrack.support.AmiTranscript;
import io.calltrack.support.Api;
import io.calltrack.support.DatabaseOutage;
import io.calltrack.support.FakeAmi;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The PBX connection drops, the database goes away, another replica holds the PBX: no call is lost. */
@QuarkusTest
class AmiFaultTest {

    static final FakeAmi AMI = FakeAmi.instance();

    @Inject
    Pool db;
    @Inject
    RedisDataSource redis;

    @BeforeEach
    void pbxConnected() throws InterruptedException {
        AMI.refuseLogins(false);
        AMI.awaitConnected(Duration.ofSeconds(20));
    }

    /** Recording 02's events, split after the operator answered. */
    private static List<List<String>> answeredThenRest(String system) {
        List<String> events = FakeAmi.events(new AmiTranscript("02_answered_by_operator"), FakeAmi.ids(system));
        int answered = 0;
        while (!events.get(answered).contains("DialStatus: ANSWER")) {
            answered++;
        }
        return List.of(events.subList(0, answered + 1), events.subList(answered + 1, events.size()));
    }

    private static void sendAll(List<String> events) throws Exception {
        for (String e : events) {
            AMI.send(e);
        }
    }

    @Test
    void socketClosedMidCallAndBackGivesOneCallClosedCorrectly() throws Exception {
        String system = AMI.freshSystemName();
        List<List<String>> parts = answeredThenRest(system);
        sendAll(parts.get(0));
        int logins = AMI.logins();
        AMI.drop();
        AMI.awaitLogin(logins, Duration.ofSeconds(10));
        sendAll(parts.get(1));

        List<Row> calls = AmiCalls.awaitEnded(db, system, 1, Duration.ofSeconds(10));
        assertEquals(1, calls.size());
        assertEquals("ANSWERED", calls.get(0).getString("disposition"));
        assertEquals("101", calls.get(0).getString("extension"));
        assertFalse(calls.get(0).getBoolean("incomplete"), "the channel was still up after the reconnect: nothing missed");
    }

    @Test
    void callThatHungUpWhileDisconnectedIsClosedAndMarkedIncompleteAndHealthSaysDegraded() throws Exception {
        String system = AMI.freshSystemName();
        sendAll(answeredThenRest(system).get(0));
        AMI.refuseLogins(true);
        AMI.drop();
        AMI.hangUpUnseen(system + "1795371676.1");
        awaitHealth("Authentication failed"); // degraded, still ready: HTTP 200
        AMI.refuseLogins(false);

        List<Row> calls = AmiCalls.awaitEnded(db, system, 1, Duration.ofSeconds(10));
        assertEquals(1, calls.size());
        assertEquals("ANSWERED", calls.get(0).getString("disposition"));
        assertTrue(calls.get(0).getBoolean("incomplete"), "its hang-up was not seen");
        awaitHealth("\"status\": \"ok\"");
        Api.when().get("/q/metrics").then().statusCode(200)
                .body(containsString("calltrack_ami_connected{pbx=\"lab-pbx\"} 1.0"));
    }

    @Test
    void callsArrivingWhileTheDatabaseIsDownAreAllWrittenWhenItReturns() throws Exception {
        List<String> systems = new ArrayList<>();
        try (DatabaseOutage outage = DatabaseOutage.begin()) {
            for (int i = 0; i < 25; i++) {
                String system = AMI.freshSystemName();
                systems.add(system);
                AMI.play(new AmiTranscript(i % 2 == 0 ? "01_answered_by_asterisk" : "05_busy_operator"), FakeAmi.ids(system));
            }
            Thread.sleep(10_000);
        }
        for (String system : systems) {
            List<Row> calls = AmiCalls.awaitEnded(db, system, 1, Duration.ofSeconds(20));
            assertEquals(1, calls.size(), system);
        }
    }

    @Test
    void whenTheReplicaHoldingThePbxDiesAnotherTakesItOverWithin15Seconds() throws Exception {
        // a replica that died just now: it holds the PBX's lease and will never renew it
        redis.execute("SET", PbxLock.key("lab-pbx"), "dead-replica", "PX", "3000");
        Instant died = Instant.now();
        int logins = AMI.logins();
        AMI.drop(); // its connection went with it
        AMI.awaitLogin(logins, Duration.ofSeconds(15));
        Duration takeover = Duration.between(died, Instant.now());
        assertTrue(takeover.compareTo(Duration.ofSeconds(3)) >= 0, "not before the dead replica's lease ran out: " + takeover);
        assertTrue(takeover.compareTo(Duration.ofSeconds(15)) < 0, "took " + takeover);

        String system = AMI.freshSystemName();
        AMI.play(new AmiTranscript("01_answered_by_asterisk"), FakeAmi.ids(system));
        assertEquals(1, AmiCalls.awaitEnded(db, system, 1, Duration.ofSeconds(10)).size());
    }

    /** Waits until readiness answers 200 with this text in its body. */
    private static void awaitHealth(String text) throws InterruptedException {
        Instant until = Instant.now().plusSeconds(10);
        while (true) {
            var ready = given().when().get("/q/health/ready").then().extract();
            if (ready.statusCode() == 200 && ready.asString().contains(text)) {
                return;
            }
            if (Instant.now().isAfter(until)) {
                throw new AssertionError("readiness never said " + text + " with 200: " + ready.statusCode() + " "
                        + ready.asString());
            }
            Thread.sleep(100);
        }
    }
}
