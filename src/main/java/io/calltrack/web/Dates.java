package io.calltrack.web;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Days and instants read from requests, refused (400 naming the field) outside the years any call, visit or
 * spend can have: Java and PostgreSQL both take far wider ranges, and a year-300000 time stored as
 * PostgreSQL's infinity once broke every read of the call log.
 */
public final class Dates {

    public static final LocalDate FIRST_DAY = LocalDate.of(1970, 1, 1);
    public static final LocalDate LAST_DAY = LocalDate.of(9999, 12, 31);
    private static final Instant FIRST = FIRST_DAY.atStartOfDay(ZoneOffset.UTC).toInstant();
    private static final Instant END = LAST_DAY.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();

    private Dates() {
    }

    /** A required day, YYYY-MM-DD, within [earliest, latest]. */
    public static LocalDate day(String field, String value, LocalDate earliest, LocalDate latest) {
        if (value == null || value.isBlank()) {
            throw ApiException.badField(field, field + " is required (YYYY-MM-DD)");
        }
        LocalDate day;
        try {
            day = LocalDate.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw ApiException.badField(field, field + " must be a date, YYYY-MM-DD");
        }
        if (day.isBefore(earliest) || day.isAfter(latest)) {
            throw ApiException.badField(field, field + " must be between " + earliest + " and " + latest);
        }
        return day;
    }

    /** An optional ISO 8601 instant (null when absent); present but blank or out of range is a 400. */
    public static Instant instant(String field, String value) {
        if (value == null) {
            return null;
        }
        Instant at;
        try {
            at = Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw ApiException.badField(field, field + " must be an ISO 8601 instant, e.g. 2026-11-23T10:15:30Z");
        }
        if (at.isBefore(FIRST) || !at.isBefore(END)) {
            throw ApiException.badField(field, field + " must be between 1970 and 9999");
        }
        return at;
    }
}
