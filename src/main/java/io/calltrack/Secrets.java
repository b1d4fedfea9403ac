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
