package io.calltrack.telephony;

import io.calltrack.config.PbxSpec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.asteriskjava.manager.ManagerConnection;
import org.asteriskjava.manager.ManagerConnectionFactory;
import org.asteriskjava.manager.ManagerConnectionState;
import org.asteriskjava.manager.ManagerEventListener;
import org.asteriskjava.manager.ResponseEvents;
import org.asteriskjava.manager.action.CoreShowChannelsAction;
import org.asteriskjava.manager.action.FilterAction;
import org.asteriskjava.manager.action.PingAction;
import org.asteriskjava.manager.event.CoreShowChannelEvent;
import org.asteriskjava.manager.event.DisconnectEvent;
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
import java.util.concurrent.ThreadLocalRandom;

/**
 * Keeps one PBX's AMI connection up for as long as this replica holds the PBX: logs in, resyncs the calls in
 * progress, pings, and on any failure (login refused, socket dropped, ping unanswered) starts over after a
 * capped, jittered backoff, forever. Asterisk-Java's own reconnect loop is not used: its pace is fixed and it
 * gives no resync. Events go to the PBX's {@link AssemblyLine}; the listener callback only hands them off.
 */
final class PbxLink implements ManagerEventListener {

    private static final Logger LOG = Logger.getLogger(PbxLink.class);

    enum State { CONNECTING, CONNECTED, RECONNECTING, STANDBY, STOPPED }

    /**
     * Connection timings (see application.properties, calltrack.ami.*).
     *
     * @param stableAfter a connection up this long was a good one: the next reconnect starts again from backoffMin
     */
    record Settings(Duration backoffMin, Duration backoffMax, Duration pingEvery, Duration timeout, int queue,
                    Duration stableAfter) {
    }

    private final PbxSpec pbx;
    private final Settings settings;
    private final AssemblyLine line;
    private final PbxLock lock;
    private final CdrGapFill gapFill;
    private final Clock clock;
    private final boolean withVarSet;
    private final Counter events;
    private final Counter connects;
    private final Thread thread;

    private final Object signal = new Object();
    private volatile boolean running = true;
    private volatile ManagerConnection connection;
    private volatile Instant lostAt;
    private volatile State state = State.CONNECTING;
    private volatile String lastError;
    private volatile int failedAttempts;
    /** When the current connection came up (null while not connected). */
    private volatile Instant upSince;
    private volatile Instant lastEventAt;
    /** How long this link waited (or is waiting) before its latest reconnect attempt. */
    private volatile Duration retryDelay = Duration.ZERO;
    /** Start of a stretch without events whose calls are still to be read from the PBX's CDR (null: none). */
    private Instant gapFrom;
    private boolean everConnected;

    PbxLink(PbxSpec pbx, Settings settings, AssemblyLine line, PbxLock lock, CdrGapFill gapFill, Clock clock,
            MeterRegistry metrics) {
        this.pbx = pbx;
        this.settings = settings;
        this.line = line;
        this.lock = lock;
        this.gapFill = gapFill;
        this.clock = clock;
        this.withVarSet = pbx.didSource().startsWith("var:");
        Tags tags = Tags.of("pbx", pbx.id());
        this.events = metrics.counter("calltrack.ami.events", tags);
        this.connects = metrics.counter("calltrack.ami.connects", tags);
        metrics.gauge("calltrack.ami.connected", tags, this, l -> l.state == State.CONNECTED ? 1 : 0);
        this.thread = new Thread(this::run, "ami-" + pbx.id());
        thread.setDaemon(true);
        thread.start();
    }

    PbxSpec pbx() {
        return pbx;
    }

    State state() {
        return state;
    }

    /** Why the last attempt failed, while not connected. */
    String lastError() {
        return lastError;
    }

    int failedAttempts() {
        return failedAttempts;
    }

    Duration retryDelay() {
        return retryDelay;
    }

    /** When this replica last read a call event from the PBX; null: never. */
    Instant lastEventAt() {
        return lastEventAt;
    }

    Instant upSince() {
        return upSince;
    }

    long eventCount() {
        return (long) events.count();
    }

    long connectCount() {
        return (long) connects.count();
    }

    AssemblyLine line() {
        return line;
    }

    void stop() {
        running = false;
        state = State.STOPPED;
        thread.interrupt();
        closeQuietly();
        line.stop();
        try {
            lock.release(pbx.id());
        } catch (RuntimeException e) {
            LOG.debugf("PBX %s: lease not released (%s); it runs out by itself", pbx.id(), e.getMessage());
        }
    }

    @Override
    public void onManagerEvent(ManagerEvent event) {
        if (event instanceof DisconnectEvent) {
            lostAt = clock.instant();
            stopBuiltInReconnect();
            synchronized (signal) {
                signal.notifyAll();
            }
            return;
        }
        AmiEvents.from(event, clock.instant(), withVarSet).ifPresent(e -> {
            events.increment();
            lastEventAt = e.receivedAt();
            try {
                line.accept(e);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private void run() {
        Duration backoff = settings.backoffMin();
        while (running) {
            if (!holds()) {
                state = State.STANDBY;
                sleep(lock.renewEvery());
                continue;
            }
            try {
                connectAndListen();
                backoff = settings.backoffMin();
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                // a drop after a good session starts the backoff over: doubling from an old start-up's long run of
                // failures would leave a gap of up to backoff-max in which whole calls come and go unseen
                Instant up = upSince;
                if (up != null && Duration.between(up, clock.instant()).compareTo(settings.stableAfter()) >= 0) {
                    backoff = settings.backoffMin();
                }
                failedAttempts++;
                lastError = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                state = State.RECONNECTING;
                LOG.warnf("PBX %s (%s:%d): %s; retrying in %d ms (attempt %d)", pbx.id(), pbx.host(), pbx.port(),
                        lastError, backoff.toMillis(), failedAttempts);
            } finally {
                upSince = null;
                closeQuietly();
            }
            retryDelay = jittered(backoff);
            sleep(retryDelay);
            backoff = backoff.multipliedBy(2).compareTo(settings.backoffMax()) > 0 ? settings.backoffMax()
                    : backoff.multipliedBy(2);
        }
    }

    /** Returns when this replica lost the PBX to another; throws when the connection failed. */
    private void connectAndListen() throws Exception {
        ManagerConnection c = new ManagerConnectionFactory(pbx.host(), pbx.port(), pbx.username(), pbx.secret())
                .createManagerConnection();
        c.setSocketTimeout((int) settings.timeout().toMillis());
        c.addEventListener(this);
        connection = c;
        Instant lost = lostAt != null ? lostAt : clock.instant();
        lostAt = null;
        c.login("on");
        filterEvents(c);
        resync(c, lost);
        if (pbx.cdr() != null && gapFrom == null) {
            gapFrom = everConnected ? lost : startUpGap();
        }
        everConnected = true;
        fillGap();
        state = State.CONNECTED;
        upSince = clock.instant();
        failedAttempts = 0;
        lastError = null;
        connects.increment();
        LOG.infof("PBX %s (%s:%d): connected", pbx.id(), pbx.host(), pbx.port());
        Instant lastPing = clock.instant();
        while (running) {
            synchronized (signal) {
                if (lostAt == null) {
                    signal.wait(Math.min(lock.renewEvery().toMillis(), settings.pingEvery().toMillis()));
                }
            }
            if (lostAt != null || c.getState() != ManagerConnectionState.CONNECTED) { // lost, or logged off above
                if (lostAt == null) {
                    lostAt = clock.instant();
                }
                throw new IOException("connection lost");
            }
            if (!holds()) {
                LOG.warnf("PBX %s: another replica holds it now; disconnecting", pbx.id());
                lostAt = clock.instant();
                return;
            }
            if (Duration.between(lastPing, clock.instant()).compareTo(settings.pingEvery()) >= 0) {
                ping(c);
                lastPing = clock.instant();
                fillGap(); // a CDR store that was out of reach at the reconnect is tried again
            }
        }
    }

    /**
     * Asks the PBX to send only the events calls are assembled from: a busy PBX sends some 50-100 events per
     * call (VarSet, Newexten, DeviceStateChange, RTCP...), parsing them is most of a listener's work, and the
     * assembler needs about ten. Without the privilege for it (Filter needs 'system' write) every event comes
     * and the ones not needed are dropped here instead.
     */
    private void filterEvents(ManagerConnection c) throws Exception {
        String events = "Newchannel|DialBegin|DialEnd|Newstate|Hangup|QueueCallerJoin|AgentConnect"
                + (withVarSet ? "|VarSet" : "");
        ManagerResponse r = c.sendAction(new FilterAction("Event: (" + events + ")"), settings.timeout().toMillis());
        if (r instanceof ManagerError) {
            LOG.infof("PBX %s: event filter refused (%s); filtering here", pbx.id(), r.getMessage());
            return;
        }
        // the pattern matches the start of the line, so "Hangup" lets HangupRequest and HangupHandler* through
        // too (one more event per dialled call): a '!' filter, applied after the first, takes them out again
        c.sendAction(new FilterAction("!Event: Hangup(Request|Handler)"), settings.timeout().toMillis());
    }

    /** Calls that ended or began while the connection was down, from the channels up now. */
    private void resync(ManagerConnection c, Instant lost) throws Exception {
        ResponseEvents listed = c.sendEventGeneratingAction(new CoreShowChannelsAction(), settings.timeout().toMillis());
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
        line.resync(channels, lost);
    }

    /** At start-up the stretch without events began with the last call logged for this PBX. */
    private Instant startUpGap() {
        try {
            return gapFill.lastLogged(pbx, clock.instant());
        } catch (RuntimeException e) {
            LOG.warnf("PBX %s: the last logged call could not be read (%s); calls before this start are not read from "
                    + "the CDR store", pbx.id(), e.getMessage());
            return null;
        }
    }

    /**
     * Reads the calls of the stretch without events from the PBX's CDR store, if it has one and there is such a
     * stretch. Its failure does not fail the link: the stretch is kept and read at a later ping.
     */
    private void fillGap() {
        Instant from = gapFrom;
        if (from == null) {
            return;
        }
        try {
            gapFill.fill(pbx, from, clock.instant());
            gapFrom = null;
        } catch (Exception e) {
            LOG.warnf("PBX %s: calls since %s not read from its CDR store yet (%s); trying again at the next ping",
                    pbx.id(), from, e.getMessage());
        }
    }

    private void ping(ManagerConnection c) throws Exception {
        ManagerResponse pong = c.sendAction(new PingAction(), settings.timeout().toMillis());
        if (pong instanceof ManagerError) {
            lostAt = clock.instant();
            throw new IOException("ping refused: " + pong.getMessage());
        }
    }

    /**
     * Whether this replica may listen. With Redis unreachable it keeps listening: two replicas writing the same
     * call is harmless (writes are idempotent), a PBX nobody listens to loses calls.
     */
    private boolean holds() {
        try {
            return lock.hold(pbx.id());
        } catch (RuntimeException e) {
            LOG.debugf("PBX %s: lease not checked (%s); listening anyway", pbx.id(), e.getMessage());
            return true;
        }
    }

    /**
     * Asterisk-Java starts its own reconnect loop on a disconnect (after a 50 ms pause); logging off right away
     * ends it, so only this link reconnects, at its own pace and with a resync.
     */
    private void stopBuiltInReconnect() {
        ManagerConnection c = connection;
        if (c != null) {
            logoff(c, ManagerConnectionState.RECONNECTING);
        }
    }

    private void closeQuietly() {
        ManagerConnection c = connection;
        connection = null;
        if (c != null) {
            c.removeEventListener(this);
            logoff(c, ManagerConnectionState.CONNECTED, ManagerConnectionState.RECONNECTING);
        }
    }

    /** Logs off when the connection is in one of these states (the only ones Asterisk-Java allows it in). */
    private void logoff(ManagerConnection c, ManagerConnectionState... when) {
        try {
            if (List.of(when).contains(c.getState())) {
                c.logoff();
            }
        } catch (RuntimeException e) {
            LOG.debugf("PBX %s: logoff failed (%s)", pbx.id(), e.getMessage());
        }
    }

    private static Duration jittered(Duration d) {
        return Duration.ofMillis((long) (d.toMillis() * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble())));
    }

    private void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
