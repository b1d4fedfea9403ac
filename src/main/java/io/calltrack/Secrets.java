package io.calltrack;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Unguessable identifiers and secrets (session ids, API keys, webhook secrets), from one SecureRandom. */
public final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    /** {@code bytes} random bytes as URL-safe Base64 without padding. */
    public static String base64Url(int bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random(bytes));
    }

    /**
     * 16 bytes as URL-safe Base64 (22 characters): the time in milliseconds (6 bytes), then 10 random bytes
     * (80 bits). Ids made close together share their first characters, so a table's index on them takes
     * new ids in a few pages instead of anywhere in the whole index (as fully random ids do).
     */
    public static String timeOrderedBase64Url(long epochMillis) {
        byte[] b = random(16);
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) (epochMillis >>> (40 - 8 * i));
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** {@code bytes} random bytes as lower-case hex. */
    public static String hex(int bytes) {
        return HexFormat.of().formatHex(random(bytes));
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
