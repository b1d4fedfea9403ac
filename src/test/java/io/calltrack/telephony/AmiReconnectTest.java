package io.calltrack.telephony;

import io.calltrack.support.AmiTranscript;
import io.calltrack.support.CdrTable;
import io.calltrack.support.FakeAmi;
import io.calltrack.support.PoolFixture;
import io.calltrack.support.TestClock;
import io.calltrack.support.Visits;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The AMI link lost and found again, as recorded on a real Asterisk (14-16): calls found up on reconnect are
 * adopted in the state the PBX reports, a call that hung up unseen is closed, and a link dropped after a good
 * session is retried at once, however long the start-up took.
 */
@QuarkusTest
class AmiReconnectTest {

    static final FakeAmi AMI = FakeAmi.instance();

    @Inject
    Pool db;
    @Inject
    AmiListeners listeners;
    @Inject
    PoolFixture fixture;
    @Inject
    TestClock clock;

    @BeforeEach
    void pbxConnected() throws InterruptedException {
        AMI.refuseLogins(false);
        AMI.awaitConnected(Duration.ofSeconds(20));
    }

    /** The recording's events: [0] the CoreShowChannel ones, [1] everything after the list. */
    private static List<List<String>> channelsThenRest(String fixture, String system) {
        List<String> events = FakeAmi.events(new AmiTranscript(fixture), FakeAmi.ids(system));
        int complete = 0;
        while (!events.get(complete).startsWith("Event: CoreShowChannelsComplete")) {
            complete++;
        }
        List<String> channels = events.subList(0, complete).stream().filter(e -> e.startsWith("Event: CoreShowChannel\r\n")).toList();
        return List.of(channels, events.subList(complete + 1, events.size()));
    }

    /** Drops the link; the listener's next login is answered with the recorded channels. */
    private static void reconnectListing(List<String> channels) throws Exception {
        AMI.answerNextCoreShowChannels(channels);
        int logins = AMI.logins();
        AMI.drop();
        AMI.awaitLogin(logins, Duration.ofSeconds(10));
    }

    /** The recording's later events came after the list: wait until the listed call is in the log. */
    private void awaitAdopted(String system) {
        await().atMost(Duration.ofSeconds(10)).until(() -> AmiCalls.of(db, system).size() == 1);
    }

    private static void sendAll(List<String> events) throws Exception {
        for (String e : events) {
            AMI.send(e);
        }
    }

    /** Replays a recording that starts with the channels a reconnect listed; the call as it ended. */
    private Row adoptedAndEnded(String fixture) throws Exception {
        String system = AMI.freshSystemName();
        List<List<String>> parts = channelsThenRest(fixture, system);
        reconnectListing(parts.get(0));
        awaitAdopted(system);
        sendAll(parts.get(1));
        return AmiCalls.awaitEnded(db, system, 1, Duration.ofSeconds(10)).get(0);
    }

    @Test
    void anAnsweredBridgedCallFoundOnReconnectIsAdoptedAnswered() throws Exception {
        Row call = adoptedAndEnded("14_reconnect_adopt_up");
        assertEquals("+74951110002", call.getString("did"));
        assertEquals("+79161234568", call.getString("caller"));
        assertEquals("ANSWERED", call.getString("disposition"), "both legs were Up in one bridge");
        assertEquals("101", call.getString("extension"), "the bridged leg's number");
        assertNotNull(call.getValue("answered_at"));
        assertNotNull(call.getInteger("talk_seconds"));
        assertTrue(call.getBoolean("incomplete"), "its answer time is only known to have been before the resync");
        assertTrue(call.getInteger("ring_seconds") <= 7, "started when the channel was created (6 s before the list)");
    }

    @Test
    void aRingingCallFoundOnReconnectIsAdoptedAndEndsUnanswered() throws Exception {
        Row call = adoptedAndEnded("15_reconnect_adopt_ringing");
        assertEquals("+74951110003", call.getString("did"));
        assertEquals("NO_ANSWER", call.getString("disposition"));
        assertNull(call.getValue("answered_at"));
        assertNull(call.getInteger("talk_seconds"));
        assertTrue(call.getBoolean("incomplete"));
    }

    @Test
    void aCallThatHungUpWhileDisconnectedIsClosedAnsweredAndIncomplete() throws Exception {
        String system = AMI.freshSystemName();
        sendAll(FakeAmi.events(new AmiTranscript("16a_hangup_while_disconnected"), FakeAmi.ids(system)));
        await().atMost(Duration.ofSeconds(10)).until(() -> AmiCalls.of(db, system).size() == 1
                && AmiCalls.of(db, system).get(0).getValue("answered_at") != null);
        reconnectListing(List.of()); // 16b: CoreShowChannels listed nothing

        Row call = AmiCalls.awaitEnded(db, system, 1, Duration.ofSeconds(10)).get(0);
        assertEquals("ANSWERED", call.getString("disposition"));
        assertEquals("101", call.getString("extension"));
        assertTrue(call.getBoolean("incomplete"), "its hang-up was not seen");
    }

    @Test
    void aCallPlacedEntirelyInsideAGapIsRecoveredFromTheCdrStoreAndAttributed() throws Exception {
        fixture.fresh("demo-visits");
        var visit = Visits.start("demo", "https://demo.example/?utm_source=gap&utm_medium=cpc&utm_term=lost+call");
        String number = visit.path("numbers[0].number");
        String session = visit.path("sessionId");
        AMI.refuseLogins(true);
        AMI.drop();
        await().atMost(Duration.ofSeconds(10)).until(() -> !"connected".equals(listeners.status().get("lab-pbx").state()));
        // the whole call happens now, with no AMI session: only the PBX's CDR store sees it
        String linkedid = AMI.freshSystemName() + "1796134142.9";
        CdrTable.insert(clock.instant(), "\"Gap Caller\" <79161230000>", "79161230000", number.substring(1), "from-trunk",
                "PJSIP/trunk-0000000a", "PJSIP/101-0000000b", "Dial", 7, 5, "ANSWERED", linkedid);
        CdrTable.insert(clock.instant(), "\"Gap Caller\" <79161230000>", "79161230000", "s", "internal",
                "PJSIP/101-0000000b", "", "AppDial", 5, 5, "ANSWERED", linkedid + "1"); // the agent's leg: not a call
        AMI.refuseLogins(false);

        Row call = await().atMost(Duration.ofSeconds(15)).until(
                () -> db.preparedQuery("SELECT * FROM calls WHERE pbx = 'lab-pbx' AND linkedid LIKE $1")
                        .execute(io.vertx.mutiny.sqlclient.Tuple.of(linkedid.substring(0, linkedid.length() - 2) + "%"))
                        .await().indefinitely(), rows -> rows.size() > 0).iterator().next();
        assertEquals(linkedid, call.getString("linkedid"), "one call: the agent's record is not another call");
        assertTrue(call.getBoolean("recovered"));
        assertTrue(call.getBoolean("incomplete"));
        assertEquals(number, call.getString("did"));
        assertEquals("+79161230000", call.getString("caller"));
        assertEquals("Gap Caller", call.getString("caller_name"));
        assertEquals("ANSWERED", call.getString("disposition"));
        assertEquals("101", call.getString("extension"));
        assertEquals(2, call.getInteger("ring_seconds"));
        assertEquals(5, call.getInteger("talk_seconds"));
        assertEquals(session, call.getString("session_id"), "attributed to the visit that held the number");
        assertEquals("LIVE_LEASE", call.getString("attribution_method"));
    }

    @Test
    void aDropAfterAGoodSessionIsRetriedWithinTheMinimumBackoffEveryTime() throws Exception {
        // a long run of refused logins (a PBX restarting) doubles the backoff to its maximum (500 ms in tests)
        AMI.refuseLogins(true);
        AMI.drop();
        await().atMost(Duration.ofSeconds(15)).until(() -> listeners.status().get("lab-pbx").retryDelayMs() >= 400);
        int logins = AMI.logins();
        AMI.refuseLogins(false);
        AMI.awaitLogin(logins, Duration.ofSeconds(10));
        for (int drop = 1; drop <= 4; drop++) {
            Thread.sleep(1_300); // a good session: longer than calltrack.ami.stable-after (1 s in tests)
            logins = AMI.logins();
            AMI.drop();
            AMI.awaitLogin(logins, Duration.ofSeconds(5));
            long waited = listeners.status().get("lab-pbx").retryDelayMs();
            assertTrue(waited <= 120, "drop " + drop + ": waited " + waited + " ms before reconnecting (backoff-min 100 ms)");
        }
    }
}
