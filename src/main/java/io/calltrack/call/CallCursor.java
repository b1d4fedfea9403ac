package io.calltrack.call;

import io.calltrack.web.ApiException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

/**
 * A keyset position in the call log: the sort instant (microseconds, PostgreSQL's precision) and the id.
 * Opaque to clients; {@code kind} tells a ring-time page from an incremental-sync one, so one is not
 * passed where the other belongs.
 */
record CallCursor(char kind, long micros, long id) {

    static final char BY_START = 's';
    static final char BY_UPDATE = 'u';

    static CallCursor of(char kind, Instant at, long id) {
        return new CallCursor(kind, ChronoUnit.MICROS.between(Instant.EPOCH, at), id);
    }

    OffsetDateTime at() {
        return OffsetDateTime.ofInstant(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), ZoneOffset.UTC);
    }

    String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((kind + ":" + micros + ":" + id).getBytes(StandardCharsets.US_ASCII));
    }

    /** Which listing a cursor belongs to; 0 when it is not a cursor at all. */
    static char kindOf(String text) {
        try {
            byte[] raw = Base64.getUrlDecoder().decode(text);
            return raw.length > 1 && raw[1] == ':' ? (char) raw[0] : 0;
        } catch (IllegalArgumentException e) {
            return 0;
        }
    }

    static CallCursor decode(String text, char expectedKind) {
        try {
            String[] p = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII).split(":");
            if (p.length == 3 && p[0].length() == 1 && p[0].charAt(0) == expectedKind) {
                return new CallCursor(expectedKind, Long.parseLong(p[1]), Long.parseLong(p[2]));
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below
        }
        throw ApiException.badField("cursor", expectedKind == BY_UPDATE
                ? "cursor is not a nextCursor of an updatedSince listing" : "cursor is not a nextCursor of this listing");
    }
}
