package io.calltrack;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretsTest {

    @Test
    void aTimeOrderedIdCarriesItsMillisecondThenEightyRandomBits() {
        long at = 1_795_371_676_123L;
        String id = Secrets.timeOrderedBase64Url(at);
        assertTrue(id.matches("[A-Za-z0-9_-]{22}"), id);
        byte[] bytes = Base64.getUrlDecoder().decode(id);
        long time = 0;
        for (int i = 0; i < 6; i++) {
            time = time << 8 | (bytes[i] & 0xff);
        }
        assertEquals(at, time);
        // 16 ids of one millisecond: one time prefix, all different
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 16; i++) {
            String same = Secrets.timeOrderedBase64Url(at);
            assertEquals(id.substring(0, 8), same.substring(0, 8), "6 bytes of time are the first 8 characters");
            ids.add(same);
        }
        assertEquals(16, ids.size());
    }

    @Test
    void theTimeOfAnIdIsReadBackAndOtherStringsHaveNone() {
        long at = 1_795_371_676_123L;
        assertEquals(Optional.of(Instant.ofEpochMilli(at)), Secrets.timeOf(Secrets.timeOrderedBase64Url(at)));
        assertEquals(Optional.of(Instant.ofEpochMilli(at)), Secrets.timeOf(Secrets.timeOrderedBase64Url(at) + "~demo-visits"));
        for (String other : new String[]{"history-a", "daily-12", "", "x".repeat(21), "x".repeat(23), "a+b/c=d".repeat(3) + "e"}) {
            assertEquals(Optional.empty(), Secrets.timeOf(other), other);
        }
        assertEquals(Optional.empty(), Secrets.timeOf(null));
    }
}
