package io.calltrack.telephony;

import io.calltrack.config.PbxSpec;
import io.calltrack.phone.PhoneNumbers;
import io.calltrack.call.CallSnapshot;
import io.calltrack.call.CallSnapshot.Disposition;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Turns one PBX's AMI event stream into inbound calls. Legs are grouped by Linkedid; the inbound leg is
 * the channel that starts a Linkedid in one of the PBX's inbound contexts (an outbound leg in the same
 * context has a Uniqueid of its own). Its Newchannel gives the DID and caller; DialEnd / AgentConnect tell
 * who answered; the inbound leg's Hangup ends the call. Cdr events are not counted as calls: one call can
 * produce several. An event that changes nothing about a call yields nothing, so the call log sees a handful
 * of writes per call, not one per VarSet. Not thread-safe: feed it one PBX's events in order.
 */
public final class CallAssembler {

    private static final String ANONYMOUS = "anonymous";
    /** Calls that ended lately: a duplicated or replayed Newchannel of one of them must not reopen it. */
    private static final int REMEMBERED_ENDED = 10_000;

    private final PbxSpec pbx;
    private final Map<String, Leg> calls = new HashMap<>();
    private final Map<String, Boolean> ended = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_ENDED;
        }
    };

    public CallAssembler(PbxSpec pbx) {
        this.pbx = pbx;
    }

    /** Mutable state of one call while its events arrive. */
    private static final class Leg {
        String channel;
        String linkedid;
        String did;
        String caller;
        String callerName;
        Instant startedAt;
        Instant answeredAt;
        Instant pbxAnsweredAt;
        Instant endedAt;
        String answeredBy;
        /** Each phone the call rang and that did not answer it, with its last dial status (a queue rings in rounds). */
        final Map<String, String> rang = new LinkedHashMap<>();
        boolean dialled;
        String lastDialStatus;
        boolean busy;
        boolean incomplete;
        Instant lastEventAt;
        CallSnapshot lastEmitted;
    }

    /** The call an event changed, as it stands now; empty for events of no inbound call. */
    public Optional<CallSnapshot> accept(AmiEvent event) {
        String linkedid = event.get("Linkedid");
        if ("Newchannel".equals(event.name())) {
            return linkedid == null ? Optional.empty() : newChannel(event, linkedid);
        }
        Leg call = linkedid == null ? null : calls.get(linkedid);
        if (call == null) {
            return Optional.empty();
        }
        call.lastEventAt = event.receivedAt();
        boolean onInboundLeg = call.channel.equals(event.get("Channel"));
        switch (event.name()) {
            case "VarSet" -> {
                if (onInboundLeg && pbx.didSource().startsWith("var:")
                        && pbx.didSource().substring(4).equals(event.get("Variable"))) {
                    call.did = number(event.get("Value"));
                }
            }
            // a queue counts as a dial: a caller who leaves it unanswered abandoned the call
            case "DialBegin", "QueueCallerJoin" -> call.dialled |= onInboundLeg;
            case "DialEnd" -> {
                if (onInboundLeg) {
                    dialEnd(call, event);
                }
            }
            case "AgentConnect" -> {
                if (call.answeredAt == null) {
                    call.answeredAt = event.receivedAt();
                    call.answeredBy = firstOf(event.get("MemberName"), event.get("Interface"));
                }
            }
            case "Newstate" -> {
                if (onInboundLeg && "Up".equals(event.get("ChannelStateDesc")) && call.pbxAnsweredAt == null) {
                    call.pbxAnsweredAt = event.receivedAt();
                } else if (onInboundLeg && "Busy".equals(event.get("ChannelStateDesc"))) {
                    call.busy = true;
                }
            }
            case "Hangup" -> {
                if (!onInboundLeg) {
                    return Optional.empty();
                }
                call.endedAt = event.receivedAt();
                call.busy |= "17".equals(event.get("Cause"));
                end(call);
            }
            default -> {
                return Optional.empty();
            }
        }
        return changed(call);
    }

    /** Calls still open, by Linkedid. */
    public Map<String, CallSnapshot> live() {
        Map<String, CallSnapshot> out = new HashMap<>();
        calls.forEach((id, call) -> out.put(id, snapshot(call)));
        return out;
    }

    /**
     * After the connection to the PBX came back: the channels it lists now ({@code CoreShowChannel} events
     * turned into Newchannel ones) are the calls still up. A call open here that started before the
     * connection was lost and is no longer listed hung up unseen: it is closed at {@code lostAt}, marked
     * incomplete. A listed inbound channel not known here rang while the connection was down: it is adopted,
     * marked incomplete, so its hang-up is seen.
     */
    public List<CallSnapshot> resync(List<AmiEvent> liveChannels, Instant lostAt) {
        Set<String> live = new HashSet<>();
        List<CallSnapshot> out = new ArrayList<>();
        for (AmiEvent channel : liveChannels) {
            String linkedid = channel.get("Linkedid");
            live.add(linkedid);
            if (linkedid != null && !calls.containsKey(linkedid)) {
                newChannel(channel, linkedid).ifPresent(c -> {
                    Leg adopted = calls.get(linkedid);
                    adopted.incomplete = true;
                    adoptState(adopted, channel);
                    out.add(changed(adopted).orElse(c));
                });
            }
        }
        closeWhere(call -> !live.contains(call.linkedid) && call.startedAt.isBefore(lostAt), lostAt, out);
        return out;
    }

    /**
     * What the PBX says of a channel found up on reconnect: in a Dial or Queue it waits for a person (a dial);
     * Up and in a bridge, someone answered it, the bridged party's number (ConnectedLineNum) being who; Up with
     * no bridge, the PBX itself answered it. When is not said: the listing's own time is the latest it can be,
     * and the call is marked incomplete.
     */
    private static void adoptState(Leg call, AmiEvent channel) {
        Instant listed = channel.receivedAt().plus(AmiEvents.upFor(channel.get("Duration")));
        String application = channel.get("Application");
        call.dialled |= "Dial".equalsIgnoreCase(application) || "Queue".equalsIgnoreCase(application);
        if (!"Up".equalsIgnoreCase(channel.get("ChannelStateDesc"))) {
            return;
        }
        String bridge = channel.get("BridgeId");
        if (bridge != null && !bridge.isBlank()) {
            call.answeredAt = listed;
            call.answeredBy = firstOf(channel.get("ConnectedLineNum"), null);
        } else {
            call.pbxAnsweredAt = listed;
        }
    }

    /** Closes calls open since before {@code startedBefore} (their hang-up never came), marked incomplete. */
    public List<CallSnapshot> sweep(Instant startedBefore) {
        List<CallSnapshot> out = new ArrayList<>();
        closeWhere(call -> call.startedAt.isBefore(startedBefore), null, out);
        return out;
    }

    /** @param at when they ended; null: at the last event seen of each */
    private void closeWhere(Predicate<Leg> which, Instant at, List<CallSnapshot> out) {
        for (Iterator<Leg> it = calls.values().iterator(); it.hasNext(); ) {
            Leg call = it.next();
            if (which.test(call)) {
                call.endedAt = at != null ? at : call.lastEventAt;
                call.incomplete = true;
                it.remove();
                ended.put(call.linkedid, Boolean.TRUE);
                changed(call).ifPresent(out::add);
            }
        }
    }

    private void end(Leg call) {
        calls.remove(call.linkedid);
        ended.put(call.linkedid, Boolean.TRUE);
    }

    private Optional<CallSnapshot> changed(Leg call) {
        CallSnapshot now = snapshot(call);
        if (now.equals(call.lastEmitted)) {
            return Optional.empty();
        }
        call.lastEmitted = now;
        return Optional.of(now);
    }

    private Optional<CallSnapshot> newChannel(AmiEvent event, String linkedid) {
        boolean startsCall = linkedid.equals(event.get("Uniqueid"));
        if (!startsCall || !pbx.contexts().contains(event.get("Context")) || calls.containsKey(linkedid)
                || ended.containsKey(linkedid)) {
            return Optional.empty();
        }
        Leg call = new Leg();
        call.channel = event.get("Channel");
        call.linkedid = linkedid;
        call.did = "exten".equals(pbx.didSource()) ? number(event.get("Exten")) : null;
        String callerId = event.get("CallerIDNum");
        call.caller = callerId == null || callerId.equalsIgnoreCase(ANONYMOUS) ? null : number(callerId);
        String name = event.get("CallerIDName");
        call.callerName = name == null || name.isBlank() || name.equals("<unknown>") ? null : name;
        call.startedAt = event.receivedAt();
        call.lastEventAt = call.startedAt;
        calls.put(linkedid, call);
        return changed(call);
    }

    private static void dialEnd(Leg call, AmiEvent event) {
        String status = event.get("DialStatus");
        call.lastDialStatus = status;
        String who = dialled(event);
        if ("ANSWER".equals(status) && call.answeredAt == null) {
            call.answeredAt = event.receivedAt();
            call.answeredBy = who;
        } else if ("BUSY".equals(status)) {
            call.busy = true;
        }
        if (who != null && !"ANSWER".equals(status)) {
            call.rang.put(who, status);
        }
    }

    /**
     * Who missed the call: a phone that rang until the dial gave up on it (NOANSWER), or that was still ringing
     * when a caller nobody answered hung up (CANCEL). One that stopped ringing because another answered missed
     * nothing, nor did a busy or unreachable one (it never rang).
     */
    private static List<String> missedBy(Leg call, Instant answered) {
        List<String> out = new ArrayList<>();
        call.rang.forEach((who, status) -> {
            if (!who.equals(call.answeredBy) && ("NOANSWER".equals(status) || "CANCEL".equals(status) && answered == null && call.endedAt != null)) {
                out.add(who);
            }
        });
        return out;
    }

    private CallSnapshot snapshot(Leg call) {
        Instant answered = call.answeredAt != null ? call.answeredAt
                : !call.dialled && call.pbxAnsweredAt != null ? call.pbxAnsweredAt : null;
        return new CallSnapshot(pbx.id(), call.linkedid, call.did, call.caller, call.callerName, call.startedAt,
                answered, call.endedAt, disposition(call, answered), call.answeredBy, call.incomplete, false, missedBy(call, answered));
    }

    /** Decided at the end: busy wins over no-answer; a caller leaving a ringing call abandoned it. */
    private static Disposition disposition(Leg call, Instant answered) {
        if (answered != null) {
            return Disposition.ANSWERED;
        }
        if (call.endedAt == null) {
            return Disposition.IN_PROGRESS;
        }
        if (call.busy) {
            return Disposition.BUSY;
        }
        if ("NOANSWER".equals(call.lastDialStatus)) {
            return Disposition.NO_ANSWER;
        }
        if ("CANCEL".equals(call.lastDialStatus) || call.dialled || call.pbxAnsweredAt == null) {
            return Disposition.ABANDONED;
        }
        return Disposition.FAILED;
    }

    private String number(String raw) {
        if (raw == null || raw.isBlank() || raw.equals("s") || raw.equals("<unknown>")) {
            return null;
        }
        return PhoneNumbers.toE164(raw, pbx.region()).orElse(raw.toLowerCase(Locale.ROOT));
    }

    /**
     * The phone a Dial rang: its caller number (a queue member's or a SIP endpoint's), or for a Local channel, whose
     * caller number is the call's own, the Local target ("Local/ring@ops-0001;1" -> "ring@ops").
     */
    private static String dialled(AmiEvent event) {
        String dest = event.get("DestChannel");
        if (dest != null && dest.startsWith("Local/")) {
            return extensionOf(dest);
        }
        return firstOf(event.get("DestCallerIDNum"), dest == null ? null : extensionOf(dest));
    }

    /** "PJSIP/101-00000002" -> "101". */
    static String extensionOf(String channel) {
        int slash = channel.indexOf('/');
        int dash = channel.lastIndexOf('-');
        return slash < 0 ? channel : channel.substring(slash + 1, dash > slash ? dash : channel.length());
    }

    private static String firstOf(String a, String b) {
        return a != null && !a.isBlank() && !a.equals("<unknown>") ? a : b;
    }
}
