package io.calltrack.telephony;

import io.calltrack.config.PbxSpec;
import io.calltrack.support.AmiTranscript;
import io.calltrack.call.CallSnapshot;
import io.calltrack.call.CallSnapshot.Disposition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every recorded Asterisk call in the test resources (ami/), assembled into the call it was. */
class CallAssemblerTest {

    static final Instant T0 = Instant.parse("2026-11-22T18:21:15Z");
    static final PbxSpec PBX = new PbxSpec("office", "127.0.0.1", 5038, "calltrack", "x", List.of("from-trunk"), "exten", "RU");

    /** The final state of each call of a transcript, in the order the calls started. */
    static List<CallSnapshot> replay(String fixture, PbxSpec pbx) {
        CallAssembler assembler = new CallAssembler(pbx);
        Map<String, CallSnapshot> calls = new LinkedHashMap<>();
        for (AmiEvent e : new AmiTranscript(fixture).events(T0)) {
            assembler.accept(e).ifPresent(c -> calls.put(c.linkedid(), c));
        }
        return new ArrayList<>(calls.values());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "null", textBlock = """
            01_answered_by_asterisk,         +74951110001, +79161234567, Ivan Petrov, ANSWERED,  null, 0, 2, null
            02_answered_by_operator,         +74951110002, +79161234567, Ivan Petrov, ANSWERED,  101,  2, 5, null
            03_noanswer_operator,            +74951110003, +79035550011, Maria,       NO_ANSWER, null, 8, null, 102
            04_noanswer_local,               +74951110006, +79035550012, null,        NO_ANSWER, null, 5, null, ring@nowhere
            05_busy_operator,                +74951110004, +79035550013, Petr,        BUSY,      null, 0, null, null
            06_busy_app,                     +74951110005, +79035550014, Olga,        BUSY,      null, 0, null, null
            07_caller_hangup_while_ringing,  +74951110003, +79035550015, Sergey,      ABANDONED, null, 3, null, 102
            10_queue_answered,               +74951110007, +79035550016, Queue Caller, ANSWERED, 101,  2, null, null
            11_anonymous_caller_8prefix_did, +74951234567, null,         Anonymous,   ANSWERED,  null, 0, 2, null
            12_queue_abandoned,              +74951110007, +79035550017, Queue Abandon, ABANDONED, null, 1, null, 101 102
            13_queue_answered_long_ring,     +74951110007, +79035550018, Queue Long Ring, ANSWERED, 101, 7, 4, null
            """)
    void recordedCallIsAssembled(String fixture, String did, String caller, String callerName, Disposition disposition,
                                 String answeredBy, int ringSeconds, Integer talkSeconds, String missedBy) {
        List<CallSnapshot> calls = replay(fixture, PBX);
        assertEquals(1, calls.size(), "one inbound call, whatever the number of legs and Cdr events");
        CallSnapshot call = calls.get(0);
        assertEquals(did, call.did());
        assertEquals(caller, call.caller());
        assertEquals(callerName, call.callerName());
        assertEquals(disposition, call.disposition());
        assertEquals(answeredBy, call.answeredBy());
        assertTrue(call.ended(), "the inbound leg's hang-up closes the call");
        assertTrue(Math.abs(call.ringSeconds() - ringSeconds) <= 1, "ring " + call.ringSeconds() + " s");
        if (talkSeconds != null) {
            assertTrue(Math.abs(call.talkSeconds() - talkSeconds) <= 1, "talk " + call.talkSeconds() + " s");
        }
        if (disposition != Disposition.ANSWERED) {
            assertEquals(null, call.answeredAt(), "nobody answered: no answer time");
        }
        assertEquals(missedBy == null ? List.of() : List.of(missedBy.split(" ")), call.missedBy(),
                "phones that rang out, or rang while the caller gave up unanswered");
    }

    @Test
    void interleavedCallsToTwoNumbersStayApart() {
        List<CallSnapshot> calls = replay("08_concurrent_two_dids", PBX);
        assertEquals(2, calls.size());
        CallSnapshot a = calls.get(0);
        CallSnapshot b = calls.get(1);
        assertEquals("+74951110002", a.did());
        assertEquals("+79161112233", a.caller());
        assertEquals(Disposition.ANSWERED, a.disposition());
        assertEquals("101", a.answeredBy());
        assertEquals("+74957654321", b.did());
        assertEquals("+79264445566", b.caller());
        assertEquals(Disposition.ANSWERED, b.disposition());
        assertTrue(b.endedAt().isBefore(a.endedAt()), "B finished first");
    }

    @Test
    void outboundCallbackIsNotAnInboundCall() {
        assertEquals(List.of(), replay("09_originate_callback", PBX));
    }

    @Test
    void eventsOfOtherContextsAreIgnored() {
        PbxSpec otherContext = new PbxSpec("office", "127.0.0.1", 5038, "calltrack", "x", List.of("from-pstn"), "exten", "RU");
        assertEquals(List.of(), replay("02_answered_by_operator", otherContext));
    }

    @Test
    void didCanComeFromADialplanVariable() {
        PbxSpec byVariable = new PbxSpec("office", "127.0.0.1", 5038, "calltrack", "x", List.of("from-trunk"), "var:SIPDOMAIN", "RU");
        CallSnapshot call = replay("02_answered_by_operator", byVariable).get(0);
        assertEquals("127.0.0.1", call.did(), "read from the VarSet of the configured variable");
    }

    @Test
    void replayedAndDuplicatedEventsGiveTheSameCall() {
        List<AmiEvent> events = new AmiTranscript("02_answered_by_operator").events(T0);
        CallAssembler assembler = new CallAssembler(PBX);
        Map<String, CallSnapshot> calls = new LinkedHashMap<>();
        List<AmiEvent> doubled = new ArrayList<>();
        for (AmiEvent e : events) {
            doubled.add(e);
            doubled.add(e);
        }
        for (AmiEvent e : doubled) {
            assembler.accept(e).ifPresent(c -> calls.put(c.linkedid(), c));
        }
        assertEquals(1, calls.size());
        CallSnapshot once = replay("02_answered_by_operator", PBX).get(0);
        assertEquals(once, calls.values().iterator().next());
        assertEquals(Collections.emptyMap(), assembler.live(), "nothing left open");
    }

    @Test
    void callWhoseHangupNeverCameStaysLiveForTheSweep() {
        List<AmiEvent> events = new AmiTranscript("02_answered_by_operator").events(T0);
        CallAssembler assembler = new CallAssembler(PBX);
        events.stream().filter(e -> !e.name().equals("Hangup")).forEach(assembler::accept);
        assertEquals(1, assembler.live().size());
        CallSnapshot open = assembler.live().values().iterator().next();
        assertNull(open.endedAt());
        assertEquals(Disposition.ANSWERED, open.disposition());
    }

    @Test
    void sweepClosesACallWhoseHangupNeverCameAtItsLastEventMarkedIncomplete() {
        List<AmiEvent> events = new AmiTranscript("02_answered_by_operator").events(T0);
        CallAssembler assembler = new CallAssembler(PBX);
        List<AmiEvent> withoutHangup = events.stream().filter(e -> !e.name().equals("Hangup")).toList();
        withoutHangup.forEach(assembler::accept);
        assertEquals(List.of(), assembler.sweep(T0), "not open long enough yet");

        List<CallSnapshot> closed = assembler.sweep(T0.plusSeconds(3600));
        assertEquals(1, closed.size());
        assertTrue(closed.get(0).incomplete());
        assertEquals(Disposition.ANSWERED, closed.get(0).disposition());
        AmiEvent lastOfTheCall = withoutHangup.stream().filter(e -> closed.get(0).linkedid().equals(e.get("Linkedid")))
                .reduce((a, b) -> b).orElseThrow();
        assertEquals(lastOfTheCall.receivedAt(), closed.get(0).endedAt(), "ended at the last event seen of it");
        assertEquals(Map.of(), assembler.live());
        assertTrue(assembler.accept(events.get(0)).isEmpty(), "a late duplicate Newchannel does not reopen it");
    }

    @Test
    void resyncClosesCallsNoLongerUpAndAdoptsCallsThatRangWhileDisconnected() {
        List<AmiEvent> events = new AmiTranscript("02_answered_by_operator").events(T0);
        CallAssembler assembler = new CallAssembler(PBX);
        events.subList(0, 5).forEach(assembler::accept);
        Instant lostAt = T0.plusSeconds(4);
        AmiEvent rangMeanwhile = new AmiEvent("Newchannel", Map.of("Channel", "PJSIP/trunk-00000009",
                "Uniqueid", "1795371699.9", "Linkedid", "1795371699.9", "Context", "from-trunk",
                "Exten", "74951110009", "CallerIDNum", "79161230000"), T0.plusSeconds(5));

        List<CallSnapshot> changed = assembler.resync(List.of(rangMeanwhile), lostAt);
        assertEquals(2, changed.size());
        CallSnapshot gone = changed.stream().filter(c -> c.ended()).findFirst().orElseThrow();
        assertEquals(lostAt, gone.endedAt(), "hung up unseen: closed when the connection was lost");
        assertTrue(gone.incomplete());
        CallSnapshot adopted = changed.stream().filter(c -> !c.ended()).findFirst().orElseThrow();
        assertEquals("+74951110009", adopted.did());
        assertTrue(adopted.incomplete(), "its start was not seen");
        assertEquals(Map.of("1795371699.9", adopted), assembler.live());
    }
}
