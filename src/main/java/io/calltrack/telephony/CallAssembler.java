package io.calltrack.telephony;

import io.calltrack.config.PbxSpec;
import io.calltrack.phone.PhoneNumbers;
import io.calltrack.telephony.CallSnapshot.Disposition;

import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns one PBX's AMI event stream into inbound calls. Legs are grouped by Linkedid; the inbound leg is
 * the channel that starts a Linkedid in one of the PBX's inbound contexts (an outbound leg in the same
 * context has a Uniqueid of its own). Its Newchannel gives the DID and caller; DialEnd / AgentConnect tell
 * who answered; the inbound leg's Hangup ends the call. Cdr events are not counted as calls: one call can
 * produce several. Not thread-safe: feed it one PBX's events in order.
 */
public final class CallAssembler {

    private static final String ANONYMOUS = "anonymous";

    private final PbxSpec pbx;
    private final Map<String, Leg> calls = new HashMap<>();

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
        boolean dialled;
        String lastDialStatus;
        boolean busy;
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
                calls.remove(linkedid);
            }
            default -> {
                return Optional.empty();
            }
        }
        return Optional.of(snapshot(call));
    }

    /** Calls still open: for a sweep that closes those whose hang-up never came. */
    public Map<String, CallSnapshot> live() {
        Map<String, CallSnapshot> out = new HashMap<>();
        calls.forEach((id, call) -> out.put(id, snapshot(call)));
        return out;
    }

    private Optional<CallSnapshot> newChannel(AmiEvent event, String linkedid) {
        boolean startsCall = linkedid.equals(event.get("Uniqueid"));
        if (!startsCall || !pbx.contexts().contains(event.get("Context")) || calls.containsKey(linkedid)) {
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
        calls.put(linkedid, call);
        return Optional.of(snapshot(call));
    }

    private static void dialEnd(Leg call, AmiEvent event) {
        String status = event.get("DialStatus");
        call.lastDialStatus = status;
        if ("ANSWER".equals(status) && call.answeredAt == null) {
            call.answeredAt = event.receivedAt();
            String dest = event.get("DestChannel");
            call.answeredBy = firstOf(event.get("DestCallerIDNum"), dest == null ? null : extensionOf(dest));
        } else if ("BUSY".equals(status)) {
            call.busy = true;
        }
    }

    private CallSnapshot snapshot(Leg call) {
        Instant answered = call.answeredAt != null ? call.answeredAt
                : !call.dialled && call.pbxAnsweredAt != null ? call.pbxAnsweredAt : null;
        return new CallSnapshot(pbx.id(), call.linkedid, call.did, call.caller, call.callerName, call.startedAt,
                answered, call.endedAt, disposition(call, answered), call.answeredBy);
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

    /** "PJSIP/101-00000002" -> "101". */
    private static String extensionOf(String channel) {
        int slash = channel.indexOf('/');
        int dash = channel.lastIndexOf('-');
        return slash < 0 ? channel : channel.substring(slash + 1, dash > slash ? dash : channel.length());
    }

    private static String firstOf(String a, String b) {
        return a != null && !a.isBlank() && !a.equals("<unknown>") ? a : b;
    }
}
