package io.calltrack.telephony;

import io.calltrack.support.AmiTranscript;
import io.calltrack.support.FakeAmi;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every recorded Asterisk session in the test resources (ami/), sent over a real AMI socket to the running
 * service: Asterisk-Java logs in to the fake PBX, reads the events, and the calls land in the call log.
 */
@QuarkusTest
class AmiListenerTest {

    static final FakeAmi AMI = FakeAmi.instance();

    @Inject
    Pool db;

    /** fixture -> expected calls: did, caller, disposition, extension, ring seconds, talk seconds (-1: none) */
    static final Map<String, List<Object[]>> EXPECTED = new LinkedHashMap<>();
    /** The phones that rang and missed each recording's call (the rest: none). */
    static final Map<String, String> MISSED_BY = Map.of("03_noanswer_operator", "102", "04_noanswer_local", "ring@nowhere",
            "07_caller_hangup_while_ringing", "102", "12_queue_abandoned", "101,102");

    static {
        EXPECTED.put("01_answered_by_asterisk", List.<Object[]>of(new Object[]{"+74951110001", "+79161234567", "ANSWERED", null, 0, 2}));
        EXPECTED.put("02_answered_by_operator", List.<Object[]>of(new Object[]{"+74951110002", "+79161234567", "ANSWERED", "101", 2, 5}));
        EXPECTED.put("03_noanswer_operator", List.<Object[]>of(new Object[]{"+74951110003", "+79035550011", "NO_ANSWER", null, 8, -1}));
        EXPECTED.put("04_noanswer_local", List.<Object[]>of(new Object[]{"+74951110006", "+79035550012", "NO_ANSWER", null, 5, -1}));
        EXPECTED.put("05_busy_operator", List.<Object[]>of(new Object[]{"+74951110004", "+79035550013", "BUSY", null, 0, -1}));
        EXPECTED.put("06_busy_app", List.<Object[]>of(new Object[]{"+74951110005", "+79035550014", "BUSY", null, 0, -1}));
        EXPECTED.put("07_caller_hangup_while_ringing", List.<Object[]>of(new Object[]{"+74951110003", "+79035550015", "ABANDONED", null, 3, -1}));
        EXPECTED.put("08_concurrent_two_dids", List.of(new Object[]{"+74951110002", "+79161112233", "ANSWERED", "101", 2, 5},
                new Object[]{"+74957654321", "+79264445566", "ANSWERED", null, 0, 2}));
        EXPECTED.put("09_originate_callback", List.of()); // outbound: not a tracked call
        EXPECTED.put("10_queue_answered", List.<Object[]>of(new Object[]{"+74951110007", "+79035550016", "ANSWERED", "101", 2, -2}));
        EXPECTED.put("11_anonymous_caller_8prefix_did", List.<Object[]>of(new Object[]{"+74951234567", null, "ANSWERED", null, 0, 2}));
        // the PBX answered (Answer() before Queue()), no agent did: abandoned, with no answer time
        EXPECTED.put("12_queue_abandoned", List.<Object[]>of(new Object[]{"+74951110007", "+79035550017", "ABANDONED", null, 1, -1}));
        // answered when the agent picked up after ~6.5 s of ringing, not at the PBX's Answer()
        EXPECTED.put("13_queue_answered_long_ring", List.<Object[]>of(new Object[]{"+74951110007", "+79035550018", "ANSWERED", "101", 7, 4}));
    }

    @BeforeEach
    void pbxConnected() throws InterruptedException {
        AMI.awaitConnected(Duration.ofSeconds(20));
    }

    @Test
    void everyRecordingReplayedAtItsRealPaceBecomesItsCalls() throws Exception {
        Map<String, String> systems = new LinkedHashMap<>();
        EXPECTED.keySet().forEach(f -> systems.put(f, AMI.freshSystemName()));
        // all recordings at once on one AMI session: their events interleave as concurrent calls' do
        ExecutorService pool = Executors.newFixedThreadPool(systems.size());
        List<Future<?>> replays = new ArrayList<>();
        systems.forEach((fixture, system) -> replays.add(pool.submit(() -> {
            AMI.playInRealTime(new AmiTranscript(fixture), FakeAmi.ids(system));
            return null;
        })));
        for (Future<?> r : replays) {
            r.get();
        }
        pool.shutdown();

        for (var e : EXPECTED.entrySet()) {
            String fixture = e.getKey();
            List<Row> calls = AmiCalls.awaitEnded(db, systems.get(fixture), e.getValue().size(), Duration.ofSeconds(10));
            assertEquals(e.getValue().size(), calls.size(), fixture + ": one row per inbound call");
            for (int i = 0; i < calls.size(); i++) {
                Object[] want = e.getValue().get(i);
                Row call = calls.get(i);
                String what = fixture + " call " + i;
                assertEquals(want[0], call.getString("did"), what + " DID");
                assertEquals(want[1], call.getString("caller"), what + " caller");
                assertEquals(want[2], call.getString("disposition"), what + " disposition");
                assertEquals(want[3], call.getString("extension"), what + " answering extension");
                assertTrue(Math.abs(call.getInteger("ring_seconds") - (int) want[4]) <= 1,
                        what + " ring " + call.getInteger("ring_seconds") + " s, recorded " + want[4]);
                int talk = (int) want[5];
                if (talk == -1) {
                    assertEquals(null, call.getInteger("talk_seconds"), what + " not answered: no talk time");
                } else if (talk >= 0) {
                    assertTrue(Math.abs(call.getInteger("talk_seconds") - talk) <= 1,
                            what + " talk " + call.getInteger("talk_seconds") + " s, recorded " + talk);
                } else {
                    assertTrue(call.getInteger("talk_seconds") > 0, what + " talked");
                }
                assertFalse(call.getBoolean("incomplete"), what + " every event seen");
                assertEquals(MISSED_BY.get(fixture), call.getString("missed_by"), what + " phones that missed it");
                // the answer time agrees with the durations: answered = started + ring, or none at all
                if ("ANSWERED".equals(want[2])) {
                    long ringMs = java.time.Duration.between(call.getOffsetDateTime("started_at"),
                            call.getOffsetDateTime("answered_at")).toMillis();
                    assertTrue(Math.abs(ringMs / 1000.0 - call.getInteger("ring_seconds")) <= 1, what + " answered "
                            + ringMs + " ms after the start, ring " + call.getInteger("ring_seconds") + " s");
                } else {
                    assertEquals(null, call.getValue("answered_at"), what + " answered by nobody");
                }
            }
        }
    }

    @Test
    void theSameEventStreamTwiceGivesOneCall() throws Exception {
        String system = AMI.freshSystemName();
        AmiTranscript recording = new AmiTranscript("02_answered_by_operator");
        AMI.play(recording, FakeAmi.ids(system));
        Row first = AmiCalls.awaitEnded(db, system, 1, Duration.ofSeconds(10)).get(0);
        AMI.play(recording, FakeAmi.ids(system));
        AMI.play(recording, FakeAmi.ids(system));
        Thread.sleep(500);
        List<Row> calls = AmiCalls.of(db, system);
        assertEquals(1, calls.size(), "duplicates are the same call");
        assertEquals(first.getValue("updated_at"), calls.get(0).getValue("updated_at"), "a hung-up call is final");
    }
}
