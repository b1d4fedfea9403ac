package io.calltrack.call;

import io.calltrack.call.CallSnapshot.Disposition;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The writer's batching, against a store that only records what it is asked to write. */
class CallWriterTest {

    private static final Instant RING = Instant.parse("2026-11-20T10:00:00Z");

    private final Vertx vertx = Vertx.vertx();
    private final RecordingStore store = new RecordingStore();

    @AfterEach
    void close() {
        vertx.close();
    }

    @Test
    void statesThatFollowClosely_areWrittenTogether_newestStateOfEachCall() {
        CallWriter writer = writer(Duration.ofMillis(300));
        for (int call = 0; call < 10; call++) {
            for (CallSnapshot state : lifeOf("call-" + call)) {
                writer.submit(state);
            }
        }
        within(5, () -> writer.backlog() == 0 && !store.batches.isEmpty());

        assertEquals(1, store.batches.size(), "ring, answer and hang-up of ten calls: one batch");
        List<CallSnapshot> batch = store.batches.get(0);
        assertEquals(10, batch.size());
        assertTrue(batch.stream().allMatch(CallSnapshot::ended), "each call written as it ended, not as it rang");
    }

    @Test
    void withoutLinger_eachStateGoesAtOnce() {
        CallWriter writer = writer(Duration.ZERO);
        List<CallSnapshot> life = lifeOf("call-1");
        writer.submit(life.get(0));
        within(5, () -> store.batches.size() == 1);
        writer.submit(life.get(2));
        within(5, () -> store.batches.size() == 2 && writer.backlog() == 0);

        assertEquals(Disposition.IN_PROGRESS, store.batches.get(0).get(0).disposition());
        assertTrue(store.batches.get(1).get(0).ended());
    }

    @Test
    void aFailedBatch_isWrittenAgain_evenWithNothingNewArriving() {
        store.failuresLeft.set(2);
        CallWriter writer = writer(Duration.ofMillis(20));
        writer.submit(lifeOf("call-1").get(2));

        within(10, () -> store.batches.size() >= 3 && writer.backlog() == 0);
        assertEquals(3, store.batches.size(), "two failed attempts, then the one that landed");
    }

    private static void within(int seconds, BooleanSupplier done) {
        long until = System.nanoTime() + seconds * 1_000_000_000L;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("not within " + seconds + " s");
            }
            Thread.onSpinWait();
        }
    }

    private CallWriter writer(Duration linger) {
        return new CallWriter(store, vertx, new SimpleMeterRegistry(), 2, 1_000, linger);
    }

    /** A call's states as the assembler hands them over: ringing, answered, hung up. */
    private static List<CallSnapshot> lifeOf(String linkedid) {
        String did = "+74951110001";
        String caller = "+7916" + Math.abs(linkedid.hashCode() % 10_000_000);
        Instant answered = RING.plusSeconds(5);
        Instant ended = RING.plusSeconds(65);
        return List.of(
                new CallSnapshot("pbx", linkedid, did, caller, null, RING, null, null, Disposition.IN_PROGRESS, null),
                new CallSnapshot("pbx", linkedid, did, caller, null, RING, answered, null, Disposition.IN_PROGRESS, "101"),
                new CallSnapshot("pbx", linkedid, did, caller, null, RING, answered, ended, Disposition.ANSWERED, "101"));
    }

    /** Records every batch; fails the first {@code failuresLeft} as a database that is down would. */
    private static final class RecordingStore extends CallStore {
        final List<List<CallSnapshot>> batches = new CopyOnWriteArrayList<>();
        final AtomicInteger failuresLeft = new AtomicInteger();

        RecordingStore() {
            super(null, null, null, null);
        }

        @Override
        public Uni<Void> writeAll(List<CallSnapshot> calls, Predicate<CallSnapshot> stored) {
            batches.add(List.copyOf(calls));
            return failuresLeft.getAndDecrement() > 0
                    ? Uni.createFrom().failure(new IllegalStateException("database down"))
                    : Uni.createFrom().voidItem();
        }
    }
}
