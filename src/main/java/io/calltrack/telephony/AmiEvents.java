package io.calltrack.telephony;

import org.asteriskjava.manager.event.AgentConnectEvent;
import org.asteriskjava.manager.event.CoreShowChannelEvent;
import org.asteriskjava.manager.event.DialBeginEvent;
import org.asteriskjava.manager.event.DialEndEvent;
import org.asteriskjava.manager.event.HangupEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.NewChannelEvent;
import org.asteriskjava.manager.event.NewStateEvent;
import org.asteriskjava.manager.event.QueueCallerJoinEvent;
import org.asteriskjava.manager.event.VarSetEvent;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Asterisk-Java's typed events back to what {@link CallAssembler} reads: the AMI event name and its headers.
 * Asterisk-Java fills each bean property from the header of the same name, case aside (CallerIDNum ->
 * callerIdNum), so the headers are the bean's properties in a case-insensitive map. Only the events the
 * assembler uses pass; the rest (most of a busy PBX's traffic) stop here.
 */
final class AmiEvents {

    private static final Map<Class<?>, String> CALL_EVENTS = Map.of(
            NewChannelEvent.class, "Newchannel",
            VarSetEvent.class, "VarSet",
            DialBeginEvent.class, "DialBegin",
            DialEndEvent.class, "DialEnd",
            QueueCallerJoinEvent.class, "QueueCallerJoin",
            AgentConnectEvent.class, "AgentConnect",
            NewStateEvent.class, "Newstate",
            HangupEvent.class, "Hangup");
    /**
     * The headers {@link CallAssembler} reads (the DID comes from Exten or a VarSet): copying only these, not
     * every property, is most of what converting an event costs.
     */
    private static final Set<String> USED = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);

    static {
        USED.addAll(List.of("Channel", "Uniqueid", "Linkedid", "CallerIDNum", "CallerIDName", "Context", "Exten",
                "ChannelStateDesc", "Cause", "DestChannel", "DestCallerIDNum", "DialStatus", "Interface", "MemberName",
                "Variable", "Value",
                // a channel listed on reconnect: who it is bridged to, what runs on it, how long it has been up
                "ConnectedLineNum", "BridgeId", "Application", "Duration"));
    }

    /** The getters of the used headers of each event class, looked up once. */
    private static final ClassValue<List<Method>> GETTERS = new ClassValue<>() {
        @Override
        protected List<Method> computeValue(Class<?> type) {
            List<Method> out = new ArrayList<>();
            for (Method m : type.getMethods()) {
                if (m.getName().startsWith("get") && m.getParameterCount() == 0 && !Modifier.isStatic(m.getModifiers())
                        && USED.contains(m.getName().substring(3))) {
                    out.add(m);
                }
            }
            return List.copyOf(out);
        }
    };

    private AmiEvents() {
    }

    /**
     * @param withVarSet whether VarSet events matter (only when the DID comes from a channel variable)
     */
    static Optional<AmiEvent> from(ManagerEvent event, Instant receivedAt, boolean withVarSet) {
        String name = CALL_EVENTS.get(event.getClass());
        if (name == null || (!withVarSet && event instanceof VarSetEvent)) {
            return Optional.empty();
        }
        return Optional.of(new AmiEvent(name, headers(event), receivedAt));
    }

    /**
     * A channel listed by CoreShowChannels, as the Newchannel event that started it (Extension is Exten there;
     * it has been up for Duration).
     */
    static AmiEvent asNewChannel(CoreShowChannelEvent channel, Instant now) {
        Map<String, String> headers = headers(channel);
        if (channel.getExtension() != null) {
            headers.put("Exten", channel.getExtension());
        }
        return new AmiEvent("Newchannel", headers, now.minus(upFor(channel.getDuration())));
    }

    /** "01:02:03" -> 1 h 2 min 3 s; anything else: zero. */
    static Duration upFor(String hms) {
        if (hms == null || !hms.matches("\\d+:\\d{2}:\\d{2}")) {
            return Duration.ZERO;
        }
        String[] p = hms.split(":");
        return Duration.ofSeconds(Long.parseLong(p[0]) * 3600 + Long.parseLong(p[1]) * 60 + Long.parseLong(p[2]));
    }

    private static Map<String, String> headers(ManagerEvent event) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Method getter : GETTERS.get(event.getClass())) {
            try {
                Object value = getter.invoke(event);
                if (value != null) {
                    headers.put(getter.getName().substring(3), value.toString());
                }
            } catch (IllegalAccessException | InvocationTargetException e) {
                // a getter that fails carries no header we need
            }
        }
        return headers;
    }
}
