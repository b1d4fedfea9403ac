package io.calltrack;

import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackgroundTest {

    @Test
    void aPassWithFailuresRunsAgainAfterThePauseUntilItGoesWell() {
        AtomicInteger runs = new AtomicInteger();
        long start = System.nanoTime();
        int failures = Background.againWhileFailing(() -> Uni.createFrom().item(runs.incrementAndGet() < 3 ? 2 : 0),
                Duration.ofMillis(50), 10, () -> true).await().indefinitely();
        assertEquals(0, failures);
        assertEquals(3, runs.get(), "two failed passes, then one that went well, and no more");
        assertTrue(System.nanoTime() - start >= 100_000_000, "a pause after each failed pass");
    }

    @Test
    void aPassThatKeepsFailingStopsAfterItsTries() {
        AtomicInteger runs = new AtomicInteger();
        int failures = Background.againWhileFailing(() -> Uni.createFrom().item(runs.incrementAndGet() > 0 ? 1 : 0),
                Duration.ofMillis(1), 4, () -> true).await().indefinitely();
        assertEquals(1, failures, "the last pass's failures");
        assertEquals(4, runs.get());
    }

    @Test
    void aPassThatWentWellRunsOnce() {
        AtomicInteger runs = new AtomicInteger();
        Background.againWhileFailing(() -> Uni.createFrom().item(runs.incrementAndGet() * 0), Duration.ofMillis(1), 4, () -> true)
                .await().indefinitely();
        assertEquals(1, runs.get());
    }

    @Test
    void noFurtherTryOnceTheServiceStops() {
        AtomicInteger runs = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        int failures = Background.againWhileFailing(() -> {
            if (runs.incrementAndGet() == 2) {
                running.set(false); // the stop begins during the second pass
            }
            return Uni.createFrom().item(1);
        }, Duration.ofMillis(1), 10, running::get).await().indefinitely();
        assertEquals(1, failures);
        assertEquals(2, runs.get(), "the pass running when the stop began is the last");
    }
}
