package io.calltrack.telephony;

import io.calltrack.call.CallStore;
import io.calltrack.call.CallWriter;
import io.calltrack.config.PbxSpec;
import io.calltrack.phone.PhoneNumbers;
import io.calltrack.call.CallSnapshot;
import io.calltrack.call.CallSnapshot.Disposition;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Asterisk does not replay AMI events after a reconnect, so a call that started and ended while the link was
 * down leaves no event. It does leave a record in the PBX's CDR store: where the PBX writes one to PostgreSQL
 * (cdr_pgsql), the records of the gap are read after every reconnect and at start-up, and each inbound call not
 * already logged is added, marked recovered and incomplete (the CDR knows less than the events: its answer is
 * the PBX's, and it has no ring of the agents). Runs on the PBX link's own thread (JDBC blocks).
 */
@ApplicationScoped
class CdrGapFill {

    private static final Logger LOG = Logger.getLogger(CdrGapFill.class);
    /** Read this far before the drop too: a call whose first event was lost in the drop itself. */
    static final Duration BEFORE_DROP = Duration.ofMinutes(1);
    /** At start-up, never further back than this (the first start of a new installation has no gap). */
    static final Duration LONGEST_GAP = Duration.ofDays(1);

    private final CallStore callLog;
    private final CallWriter writer;

    CdrGapFill(CallStore callLog, CallWriter writer) {
        this.callLog = callLog;
        this.writer = writer;
    }

    /** One row of the CDR table, as cdr_pgsql writes it. */
    record CdrRow(Instant calldate, String clid, String src, String dst, String dcontext, String channel,
                  String dstchannel, String disposition, int duration, int billsec, String uniqueid) {
    }

    /** Where the gap of a first connection starts: the last call logged for the PBX (at most a day back). */
    Instant lastLogged(PbxSpec pbx, Instant now) {
        Instant last = callLog.lastStartedAt(pbx.id()).await().atMost(Duration.ofSeconds(30));
        Instant floor = now.minus(LONGEST_GAP);
        return last == null || last.isBefore(floor) ? floor : last;
    }

    /** Reads the records of [from, to) and logs the calls among them; returns how many calls were handed on. */
    int fill(PbxSpec pbx, Instant from, Instant to) throws SQLException {
        List<CallSnapshot> calls = calls(pbx, read(pbx.cdr(), from.minus(BEFORE_DROP), to));
        calls.forEach(writer::submit); // an already logged call is left as it is: see CallStore
        if (!calls.isEmpty()) {
            LOG.infof("PBX %s: %d call(s) of the CDR between %s and %s handed to the call log (those not seen over AMI are "
                    + "added, marked recovered)", pbx.id(), calls.size(), from, to);
        }
        return calls.size();
    }

    private static List<CdrRow> read(PbxSpec.CdrSource cdr, Instant from, Instant to) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", cdr.username());
        props.setProperty("password", cdr.password());
        props.setProperty("connectTimeout", "5");
        props.setProperty("socketTimeout", "30");
        try (Connection c = DriverManager.getConnection("jdbc:" + cdr.url(), props)) {
            boolean zoned = zoned(c, cdr.table());
            try (PreparedStatement ps = c.prepareStatement("SELECT calldate, clid, src, dst, dcontext, channel, dstchannel, "
                    + "disposition, duration, billsec, uniqueid FROM " + cdr.table()
                    + " WHERE calldate >= ? AND calldate < ? ORDER BY calldate")) {
                if (zoned) {
                    ps.setObject(1, from.atOffset(java.time.ZoneOffset.UTC));
                    ps.setObject(2, to.atOffset(java.time.ZoneOffset.UTC));
                } else {
                    ps.setObject(1, LocalDateTime.ofInstant(from, cdr.timeZone()));
                    ps.setObject(2, LocalDateTime.ofInstant(to, cdr.timeZone()));
                }
                List<CdrRow> rows = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Instant at = zoned ? rs.getObject(1, OffsetDateTime.class).toInstant()
                                : rs.getObject(1, LocalDateTime.class).atZone(cdr.timeZone()).toInstant();
                        rows.add(new CdrRow(at, rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                                rs.getString(6), rs.getString(7), rs.getString(8), rs.getInt(9), rs.getInt(10), rs.getString(11)));
                    }
                }
                return rows;
            }
        }
    }

    /** Whether calldate is a timestamp with time zone (else its values are the PBX's local time). */
    private static boolean zoned(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                + "WHERE attrelid = ?::regclass AND attname = 'calldate'")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getString(1).contains("with time zone");
            }
        }
    }

    /**
     * The inbound calls among CDR rows: rows of the PBX's inbound contexts, grouped by the inbound channel's
     * uniqueid (a call can leave several rows: one per queue member rung, one more for a Hangup() after a Dial,
     * and that uniqueid is the call's Linkedid over AMI, so a call seen both ways is one call).
     */
    static List<CallSnapshot> calls(PbxSpec pbx, List<CdrRow> rows) {
        Map<String, List<CdrRow>> byCall = new LinkedHashMap<>();
        for (CdrRow r : rows) {
            if (r.uniqueid() != null && pbx.contexts().contains(r.dcontext())) {
                byCall.computeIfAbsent(r.uniqueid(), k -> new ArrayList<>()).add(r);
            }
        }
        List<CallSnapshot> out = new ArrayList<>();
        byCall.forEach((uniqueid, legs) -> out.add(call(pbx, uniqueid, legs)));
        return out;
    }

    private static CallSnapshot call(PbxSpec pbx, String uniqueid, List<CdrRow> legs) {
        CdrRow first = legs.get(0);
        Instant started = first.calldate();
        Instant ended = started;
        CdrRow answered = null;
        boolean busy = false;
        boolean noAnswer = false;
        for (CdrRow r : legs) {
            Instant end = r.calldate().plusSeconds(r.duration());
            ended = end.isAfter(ended) ? end : ended;
            String d = String.valueOf(r.disposition()).toUpperCase(Locale.ROOT);
            if (d.equals("ANSWERED") && answered == null) {
                answered = r;
            }
            busy |= d.equals("BUSY");
            noAnswer |= d.equals("NO ANSWER");
        }
        // NO ANSWER rows of a queue carry an AnswerTime (the PBX's Answer()); only an ANSWERED row means a person
        Instant answeredAt = answered == null ? null
                : answered.calldate().plusSeconds(Math.max(0, answered.duration() - answered.billsec()));
        Disposition disposition = answered != null ? Disposition.ANSWERED : busy ? Disposition.BUSY
                : noAnswer ? Disposition.NO_ANSWER : Disposition.FAILED;
        String caller = first.src() == null || first.src().isBlank() || first.src().equalsIgnoreCase("anonymous") ? null
                : PhoneNumbers.toE164(first.src(), pbx.region()).orElse(first.src());
        String did = first.dst() == null || first.dst().isBlank() ? null
                : PhoneNumbers.toE164(first.dst(), pbx.region()).orElse(first.dst());
        String answeredBy = answered == null || answered.dstchannel() == null ? null
                : CallAssembler.extensionOf(answered.dstchannel());
        return new CallSnapshot(pbx.id(), uniqueid, did, caller, nameOf(first.clid()), started, answeredAt, ended,
                disposition, answeredBy, true, true);
    }

    /** clid is "Name" <number>: the name, when there is one. */
    static String nameOf(String clid) {
        if (clid == null) {
            return null;
        }
        int lt = clid.lastIndexOf('<');
        String name = (lt > 0 ? clid.substring(0, lt) : "").trim().replaceAll("^\"|\"$", "").trim();
        return name.isEmpty() ? null : name;
    }
}
