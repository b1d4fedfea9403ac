package io.calltrack.telephony;

import io.calltrack.config.PbxSpec;
import org.asteriskjava.manager.ManagerConnection;
import org.asteriskjava.manager.ManagerConnectionFactory;
import org.asteriskjava.manager.ManagerConnectionState;
import org.asteriskjava.manager.ManagerEventListener;
import org.asteriskjava.manager.ResponseEvents;
import org.asteriskjava.manager.action.CoreShowChannelsAction;
import org.asteriskjava.manager.action.FilterAction;
import org.asteriskjava.manager.action.PingAction;
import org.asteriskjava.manager.event.CoreShowChannelEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.response.ManagerError;
import org.asteriskjava.manager.response.ManagerResponse;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One AMI login to a PBX, as {@link PbxLink} uses it: logged in with the event filter set, the channels up now, a
 * ping, and a logoff that also ends Asterisk-Java's own reconnect loop. A session that fails is thrown away; the
 * link opens a new one.
 */
final class AmiSession {

    private static final Logger LOG = Logger.getLogger(AmiSession.class);

    private final PbxSpec pbx;
    private final Duration timeout;
    private final ManagerEventListener listener;
    private final ManagerConnection connection;

    /** A connection whose events go to {@code listener} from the start; {@link #login} opens it. */
    AmiSession(PbxSpec pbx, Duration timeout, ManagerEventListener listener) {
        this.pbx = pbx;
        this.timeout = timeout;
        this.listener = listener;
        this.connection = new ManagerConnectionFactory(pbx.host(), pbx.port(), pbx.username(), pbx.secret())
                .createManagerConnection();
        connection.setSocketTimeout((int) timeout.toMillis());
        connection.addEventListener(listener);
    }

    void login(boolean withVarSet) throws Exception {
        connection.login("on");
        filterEvents(withVarSet);
    }

    /**
     * Asks the PBX to send only the events calls are assembled from: a busy PBX sends some 50-100 events per
     * call (VarSet, Newexten, DeviceStateChange, RTCP...), parsing them is most of a listener's work, and the
     * assembler needs about ten. Without the privilege for it (Filter needs 'system' write) every event comes
     * and the ones not needed are dropped by the link instead.
     */
    private void filterEvents(boolean withVarSet) throws Exception {
        String events = "Newchannel|DialBegin|DialEnd|Newstate|Hangup|QueueCallerJoin|AgentConnect"
                + (withVarSet ? "|VarSet" : "");
        ManagerResponse r = connection.sendAction(new FilterAction("Event: (" + events + ")"), timeout.toMillis());
        if (r instanceof ManagerError) {
            LOG.infof("PBX %s: event filter refused (%s); filtering here", pbx.id(), r.getMessage());
            return;
        }
        // the pattern matches the start of the line, so "Hangup" lets HangupRequest and HangupHandler* through
        // too (one more event per dialled call): a '!' filter, applied after the first, takes them out again
        connection.sendAction(new FilterAction("!Event: Hangup(Request|Handler)"), timeout.toMillis());
    }

    /** The channels up now, as Newchannel events received when the PBX listed them. */
    List<AmiEvent> channels(Clock clock) throws Exception {
        ResponseEvents listed = connection.sendEventGeneratingAction(new CoreShowChannelsAction(), timeout.toMillis());
        if (listed.getResponse() instanceof ManagerError error) {
            throw new IOException("CoreShowChannels refused: " + error.getMessage());
        }
        Instant now = clock.instant();
        List<AmiEvent> channels = new ArrayList<>();
        for (ManagerEvent e : listed.getEvents()) {
            if (e instanceof CoreShowChannelEvent channel) {
                channels.add(AmiEvents.asNewChannel(channel, now));
            }
        }
        return channels;
    }

    /** Null when the PBX answered; its error message when it refused. */
    String ping() throws Exception {
        ManagerResponse pong = connection.sendAction(new PingAction(), timeout.toMillis());
        return pong instanceof ManagerError ? String.valueOf(pong.getMessage()) : null;
    }

    boolean connected() {
        return connection.getState() == ManagerConnectionState.CONNECTED;
    }

    /**
     * Asterisk-Java starts its own reconnect loop on a disconnect (after a 50 ms pause); logging off right away
     * ends it, so only the link reconnects, at its own pace and with a resync.
     */
    void stopBuiltInReconnect() {
        logoff(ManagerConnectionState.RECONNECTING);
    }

    void close() {
        connection.removeEventListener(listener);
        logoff(ManagerConnectionState.CONNECTED, ManagerConnectionState.RECONNECTING);
    }

    /** Logs off when the connection is in one of these states (the only ones Asterisk-Java allows it in). */
    private void logoff(ManagerConnectionState... when) {
        try {
            if (List.of(when).contains(connection.getState())) {
                connection.logoff();
            }
        } catch (RuntimeException e) {
            LOG.debugf("PBX %s: logoff failed (%s)", pbx.id(), e.getMessage());
        }
    }
}
