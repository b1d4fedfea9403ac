package io.calltrack.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PingIntervalTest {

    private static PoolSpec holding(Duration hold) {
        return new PoolSpec("p", "s", PoolSpec.Kind.DYNAMIC, null, List.of("+74951110000"), hold, Duration.ofHours(24),
                PoolSpec.Exhaustion.SHARE, List.of(), Map.of());
    }

    @Test
    void aPagePingsThreeTimesWithinItsPoolsHoldToTheMillisecond() {
        PingInterval shipped = new PingInterval(Duration.ofSeconds(30), Duration.ofSeconds(1));
        assertEquals(Duration.ofSeconds(30), shipped.of(holding(Duration.ofMinutes(15))));
        assertEquals(Duration.ofMillis(3333), shipped.of(holding(Duration.ofSeconds(10))), "not cut to 3 s");
        assertEquals(Duration.ofSeconds(1), shipped.of(holding(Duration.ofMillis(2500))), "never faster than the floor");
    }

    @Test
    void compressedTimeScalesTheBoundsBelowASecond() {
        // 1 real s = 1,000 simulated s: a 30 min hold is 1.8 s, and the script's 30 s interval is 30 ms
        PingInterval scaled = new PingInterval(Duration.ofMillis(30), Duration.ofMillis(1));
        assertEquals(Duration.ofMillis(30), scaled.of(holding(Duration.ofMillis(1800))));
        assertEquals(Duration.ofMillis(15), scaled.of(holding(Duration.ofMillis(45))));
        assertEquals(Duration.ofMillis(1), scaled.of(holding(Duration.ofMillis(1))));
    }

    @Test
    void boundsTheWrongWayRoundAreRefusedAtStart() {
        assertThrows(IllegalArgumentException.class, () -> new PingInterval(Duration.ofSeconds(1), Duration.ofSeconds(2)));
        assertThrows(IllegalArgumentException.class, () -> new PingInterval(Duration.ofSeconds(30), Duration.ZERO));
    }
}
