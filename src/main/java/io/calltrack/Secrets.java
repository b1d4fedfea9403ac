package io.calltrack;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/** Unguessable identifiers and secrets (session ids, API keys, webhook secrets), from one SecureRandom. */
public final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern TIME_ORDERED = Pattern.compile("[A-Za-z0-9_-]{22}(~.*)?", Pattern.DOTALL);

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

    /**
     * The time in {@link #timeOrderedBase64Url} of an id that begins with one (22 characters, then nothing or '~'),
     * to the millisecond; empty for any other string. A hint for finding a row by id, not a proof: any 22 such
     * characters decode to some time.
     */
    public static Optional<Instant> timeOf(String id) {
        if (id == null || !TIME_ORDERED.matcher(id).matches()) {
            return Optional.empty();
        }
        byte[] b = Base64.getUrlDecoder().decode(id.substring(0, 8));
        long ms = 0;
        for (int i = 0; i < 6; i++) {
            ms = ms << 8 | (b[i] & 0xff);
        }
        return Optional.of(Instant.ofEpochMilli(ms));
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
