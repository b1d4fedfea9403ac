package io.calltrack.call;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Writes the calls PBX listeners assemble, off their threads, on one Vert.x context. Per call only the
 * newest state waits (a newer snapshot replaces an unwritten older one: each is the whole call) and one
 * write runs at a time, so a call's writes keep their order; different calls are written together, in
 * batches of a few statements each (a burst of calls costs a few round trips, not a few per call), and
 * several batches at once. A state waits a few milliseconds ({@code write-linger}) before its batch starts, so
 * the states that follow it closely (a call's ring, answer and hang-up read in one burst from the PBX, other
 * calls of the same moment) are written by the same statements instead of one round of statements each.
 * A failed write (database down) stays queued and is retried with backoff until it lands: nothing is
 * dropped. The queue is bounded by {@link #isFull()}: producers wait while it is full.
 */
// created at start, not with the first call: its write metrics (the backlog alert's) exist on every replica
@Startup
@ApplicationScoped
public class CallWriter {

    private static final Logger LOG = Logger.getLogger(CallWriter.class);
    private static final long RETRY_MIN_MS = 100;
    private static final long RETRY_MAX_MS = 2_000;
    private static final int STORED_REMEMBERED = 50_000;
    /** Calls written by one set of statements: enough to keep up with a burst, small enough to stay quick. */
    static final int BATCH = 200;

    private final CallStore store;
    private final Vertx vertx;
    private final int parallelism;
    private final int capacity;
    private final Counter written;
    private final Counter failures;
    private final Timer writeTime;

    private Context context;
    private final Map<String, CallSnapshot> waiting = new LinkedHashMap<>();
    private final Set<String> writing = new HashSet<>();
    /** Calls this writer has stored, newest last: their next states are plain updates. */
    private final Map<String, Boolean> stored = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > STORED_REMEMBERED;
        }
    };
    /** Callers of new calls being written: a second new call of theirs waits (its repeat-caller link needs the first). */
    private final Set<String> newCallers = new HashSet<>();
    private final long lingerMs;
    /** The oldest waiting state has lingered enough: batches start as soon as a slot is free, until none waits. */
    private boolean flushDue;
    private boolean lingering;
    private int batches;
    private long retryDelayMs;
    private boolean pausedForRetry;
    private volatile int backlog;

    @Inject
    CallWriter(CallStore store, Vertx vertx, MeterRegistry metrics, CallsConfig calls) {
        this(store, vertx, metrics, calls.writeParallelism(), calls.writeBuffer(), calls.writeLinger());
    }

    CallWriter(CallStore store, Vertx vertx, MeterRegistry metrics, int parallelism, int capacity, Duration linger) {
        this.store = store;
        this.vertx = vertx;
        this.parallelism = parallelism;
        this.capacity = capacity;
        this.lingerMs = linger.toMillis();
        this.written = metrics.counter("calltrack.calls.writes");
        this.failures = metrics.counter("calltrack.calls.write.failures");
        this.writeTime = Timer.builder("calltrack.calls.write.time").description("one batch of calls written, attribution included")
                .publishPercentiles(0.5, 0.99).register(metrics);
        metrics.gauge("calltrack.calls.write.backlog", this, w -> w.backlog);
    }

    /** Queues the call's current state; callable from any thread. */
    public void submit(CallSnapshot call) {
        context().runOnContext(v -> {
            waiting.put(call.key(), call);
            updateBacklog();
            if (lingerMs <= 0 || waiting.size() >= BATCH) {
                flushDue = true;
            } else if (!flushDue && !lingering) {
                lingering = true;
                vertx.setTimer(lingerMs, t -> context.runOnContext(x -> {
                    lingering = false;
                    flushDue = true;
                    pump();
                }));
            }
            pump();
        });
    }

    /** Calls waiting or being written. */
    public int backlog() {
        return backlog;
    }

    public boolean isFull() {
        return backlog >= capacity;
    }

    private synchronized Context context() {
        if (context == null) {
            context = vertx.getOrCreateContext();
        }
        return context;
    }

    /**
     * Starts batches while fewer than {@code parallelism} run: each takes up to {@link #BATCH} waiting calls
     * not being written, and no new call of a caller whose new call is being written.
     */
    private void pump() {
        while (flushDue && !pausedForRetry && batches < parallelism && !waiting.isEmpty()) {
            List<CallSnapshot> batch = new ArrayList<>();
            for (Iterator<Map.Entry<String, CallSnapshot>> it = waiting.entrySet().iterator(); it.hasNext() && batch.size() < BATCH; ) {
                Map.Entry<String, CallSnapshot> next = it.next();
                CallSnapshot call = next.getValue();
                if (writing.contains(next.getKey()) || (isNew(call) && call.caller() != null && !newCallers.add(call.caller()))) {
                    continue;
                }
                it.remove();
                writing.add(next.getKey());
                batch.add(call);
            }
            if (batch.isEmpty()) {
                return;
            }
            write(batch);
        }
        if (waiting.isEmpty()) {
            flushDue = false;
        }
    }

    private void write(List<CallSnapshot> batch) {
        batches++;
        Timer.Sample started = Timer.start();
        store.writeAll(batch, call -> !isNew(call)).subscribe().with(done -> context.runOnContext(v -> {
            started.stop(writeTime);
            batches--;
            for (CallSnapshot call : batch) {
                release(call);
                stored.put(call.key(), Boolean.TRUE);
            }
            written.increment(batch.size());
            retryDelayMs = 0;
            updateBacklog();
            pump();
        }), failure -> context.runOnContext(v -> {
            batches--;
            for (CallSnapshot call : batch) {
                release(call);
                waiting.putIfAbsent(call.key(), call); // unless a newer state of the call came meanwhile
            }
            failures.increment();
            flushDue = true; // these have lingered already
            updateBacklog();
            retryLater(failure);
        }));
    }

    private boolean isNew(CallSnapshot call) {
        return !stored.containsKey(call.key());
    }

    private void release(CallSnapshot call) {
        writing.remove(call.key());
        if (isNew(call) && call.caller() != null) {
            newCallers.remove(call.caller());
        }
    }

    private void retryLater(Throwable failure) {
        if (pausedForRetry) {
            return;
        }
        retryDelayMs = Math.min(RETRY_MAX_MS, Math.max(RETRY_MIN_MS, retryDelayMs * 2));
        LOG.warnf("Call log write failed (%s); %d calls waiting, retrying in %d ms", failure.getMessage(), backlog,
                retryDelayMs);
        pausedForRetry = true;
        vertx.setTimer(retryDelayMs, t -> context.runOnContext(v -> {
            pausedForRetry = false;
            pump();
        }));
    }

    private void updateBacklog() {
        backlog = waiting.size() + writing.size();
    }

}
