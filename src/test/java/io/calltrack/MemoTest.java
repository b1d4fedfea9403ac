package io.calltrack;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MemoTest {

    private final AtomicInteger computed = new AtomicInteger();
    private final Memo<String, Integer> lengths = new Memo<>(3, s -> {
        computed.incrementAndGet();
        return s.length();
    });

    @Test
    void aRecurringInput_isComputedOnce() {
        assertEquals(5, lengths.get("hello"));
        assertEquals(5, lengths.get("hello"));
        assertEquals(1, computed.get());
    }

    @Test
    void pastItsLimit_itStartsOver_insteadOfGrowing() {
        lengths.get("a");
        lengths.get("bb");
        lengths.get("ccc");
        lengths.get("dddd"); // the fourth: the three before are dropped
        lengths.get("a");
        assertEquals(5, computed.get());
        lengths.get("dddd");
        assertEquals(5, computed.get());
    }
}
