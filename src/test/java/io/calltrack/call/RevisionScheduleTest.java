package io.calltrack.call;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RevisionScheduleTest {

    private static final Instant RING = Instant.parse("2026-03-01T10:00:00Z");
    private final RevisionSchedule schedule = new RevisionSchedule(List.of(Duration.ofHours(1), Duration.ofHours(6), Duration.ofHours(72)));

    @Test
    void theNextRevisionIsTheFirstStillToCome() {
        assertEquals(RING.plus(Duration.ofHours(1)), schedule.next(RING, RING));
        assertEquals(RING.plus(Duration.ofHours(6)), schedule.next(RING, RING.plus(Duration.ofHours(1))), "due now: done");
        assertEquals(RING.plus(Duration.ofHours(72)), schedule.next(RING, RING.plus(Duration.ofHours(30))), "a late run skips a step");
        assertNull(schedule.next(RING, RING.plus(Duration.ofHours(72))), "final after the last");
    }

    @Test
    void aCallWrittenLateStartsAtTheRevisionsStillToCome() {
        assertEquals(RING.plus(Duration.ofHours(72)), schedule.next(RING, RING.plus(Duration.ofDays(2))), "replayed two days on");
        assertNull(new RevisionSchedule(List.of()).next(RING, RING), "no revisions configured: scored once");
    }

    @Test
    void theTimesMustBePositiveAndAscending() {
        assertThrows(IllegalArgumentException.class, () -> new RevisionSchedule(List.of(Duration.ofHours(6), Duration.ofHours(1))));
        assertThrows(IllegalArgumentException.class, () -> new RevisionSchedule(List.of(Duration.ZERO)));
        assertThrows(IllegalArgumentException.class, () -> new RevisionSchedule(List.of(Duration.ofHours(1), Duration.ofHours(1))));
    }
}
