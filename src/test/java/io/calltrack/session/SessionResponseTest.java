package io.calltrack.session;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SessionResponseTest {

    @Test
    void thePingIntervalIsGivenInWholeSecondsAndToTheMillisecond() {
        assertEquals(3, SessionResponse.of(null, Duration.ofMillis(3333), List.of()).pingSeconds());
        assertEquals(3333, SessionResponse.of(null, Duration.ofMillis(3333), List.of()).pingMillis());
        assertEquals(1, SessionResponse.of(null, Duration.ofMillis(30), List.of()).pingSeconds(), "whole seconds, at least one");
    }
}
