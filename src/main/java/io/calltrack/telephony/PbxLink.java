package io.calltrack.telephony;

import io.calltrack.config.PbxSpec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.asteriskjava.manager.ManagerEventListener;
import org.asteriskjava.manager.event.DisconnectEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Keeps one PBX's AMI connection up for as long as this replica holds the PBX: logs in, resyncs the calls in
 * progress, pings, and on any failure (login refused, socket dropped, ping unanswered) starts over after a
 * capped, jittered backoff, forever. Asterisk-Java's own reconnect loop is not used: its pace is fixed and it
 * gives no resync. Events go to the PBX's {@link AssemblyLine}; the listener callback only hands them off. Each
 * login is an {@link AmiSession}; the calls of a stretch without events come from the PBX's CDR store ({@link CdrGap}).
 */
final class PbxLink implements ManagerEventListener {

    private static final Logger LOG = Logger.getLogger(PbxLink.class);

    enum State { CONNECTING, CONNECTED, RECONNECTING, STANDBY, STOPPED }

    private final PbxSpec pbx;
    private final AmiConfig settings;
    private final AssemblyLine line;
    private final PbxLock lock;
    private final CdrGap gap;
    private final Clock clock;
    private final boolean withVarSet;
    private final Counter events;
    private final Counter connects;
    private final Thread thread;

    private final Object signal = new Object();
    private volatile boolean running = true;
    private volatile AmiSession session;
    private volatile Instant lostAt;
    private volatile State state = State.CONNECTING;
    private volatile String lastError;
    private volatile int failedAttempts;
    /** When the current connection came up (null while not connected). */
    private volatile Instant upSince;
    private volatile Instant lastEventAt;
    /** How long this link waited (or is waiting) before its latest reconnect attempt. */
    private volatile Duration retryDelay = Duration.ZERO;

    PbxLink(PbxSpec pbx, AmiConfig settings, AssemblyLine line, PbxLock lock, CdrGapFill gapFill, Clock clock,
            MeterRegistry metrics) {
        this.pbx = pbx;
        this.settings = settings;
        this.line = line;
        this.lock = lock;
        this.gap = new CdrGap(pbx, gapFill, clock);
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
        AmiSession c = new AmiSession(pbx, settings.timeout(), this);
        session = c;
        Instant lost = lostAt != null ? lostAt : clock.instant();
        lostAt = null;
        c.login(withVarSet);
        line.resync(c.channels(clock), lost); // calls that ended or began while the link was down
        gap.connected(lost);
        gap.fill();
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
            if (lostAt != null || !c.connected()) { // lost, or logged off above
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
                String refused = c.ping();
                if (refused != null) {
                    lostAt = clock.instant();
                    throw new IOException("ping refused: " + refused);
                }
                lastPing = clock.instant();
                gap.fill(); // a CDR store that was out of reach at the reconnect is tried again
            }
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

    private void stopBuiltInReconnect() {
        AmiSession c = session;
        if (c != null) {
            c.stopBuiltInReconnect();
        }
    }

    private void closeQuietly() {
        AmiSession c = session;
        session = null;
        if (c != null) {
            c.close();
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
