package io.calltrack.telephony;

import io.calltrack.support.AmiTranscript;
import io.calltrack.call.CallSnapshot;
import io.calltrack.call.CallSnapshot.Disposition;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Calls read back from CDR records: the records are the Cdr events a real Asterisk sent with each recorded call
 * (cdr_manager and cdr_pgsql write the same record), so each recovered call is checked against what the AMI
 * events of the same call say.
 */
class CdrGapFillTest {

    private static final DateTimeFormatter CDR_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** The recording's Cdr events as the rows cdr_pgsql writes (fixtures 12 on were recorded on a UTC clock). */
    static List<CdrGapFill.CdrRow> records(String fixture) {
        return new AmiTranscript(fixture).messages().stream().filter(m -> "Cdr".equals(m.headers().get("Event")))
                .map(m -> row(m.headers())).toList();
    }

    private static CdrGapFill.CdrRow row(Map<String, String> h) {
        return new CdrGapFill.CdrRow(LocalDateTime.parse(h.get("StartTime"), CDR_TIME).toInstant(ZoneOffset.UTC),
                h.get("CallerID"), h.get("Source"), h.get("Destination"), h.get("DestinationContext"), h.get("Channel"),
                h.get("DestinationChannel"), h.get("Disposition"), Integer.parseInt(h.get("Duration")),
                Integer.parseInt(h.get("BillableSeconds")), h.get("UniqueID"));
    }

    static CallSnapshot only(String fixture) {
        List<CallSnapshot> calls = CdrGapFill.calls(CallAssemblerTest.PBX, records(fixture));
        assertEquals(1, calls.size(), fixture + ": one call, whatever the number of records");
        return calls.get(0);
    }

    @Test
    void anAnsweredCallIsRecoveredWithItsAgentAndTimes() {
        CallSnapshot call = only("13_queue_answered_long_ring");
        assertEquals("+74951110007", call.did());
        assertEquals("+79035550018", call.caller());
        assertEquals("Queue Long Ring", call.callerName());
        assertEquals(Disposition.ANSWERED, call.disposition());
        assertEquals("101", call.answeredBy());
        assertTrue(call.recovered() && call.incomplete());
        assertEquals(11, call.talkSeconds(), "the CDR's billable seconds: from the PBX's answer, not the agent's");
    }

    @Test
    void aQueueCallNobodyAnsweredHasNoAnswerTimeThoughItsRecordsHaveOne() {
        CallSnapshot call = only("12_queue_abandoned");
        assertEquals(Disposition.NO_ANSWER, call.disposition());
        assertNull(call.answeredAt());
        assertNull(call.talkSeconds());
    }

    @Test
    void busyAndAnonymousCallsKeepWhatTheRecordSays() {
        assertEquals(Disposition.BUSY, only("05_busy_operator").disposition());
        CallSnapshot anonymous = only("11_anonymous_caller_8prefix_did");
        assertNull(anonymous.caller());
        assertEquals("+74951234567", anonymous.did());
    }

    @Test
    void recordsOfOtherContextsAndOutboundCallsAreNoCalls() {
        assertEquals(List.of(), CdrGapFill.calls(CallAssemblerTest.PBX, records("09_originate_callback")));
    }
}
