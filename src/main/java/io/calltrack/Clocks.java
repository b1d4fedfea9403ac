package io.calltrack;

import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;

/** The clock every time-dependent bean uses, so the test suite can move time instead of sleeping. */
public class Clocks {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    /** An instant as the reactive PostgreSQL client binds timestamptz parameters (null stays null). */
    public static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    /**
     * The start of a month as the visit history counts months (UTC): its partitions' bounds, and the months a visit's
     * leases are read by.
     */
    public static OffsetDateTime monthStart(YearMonth month) {
        return month.atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC);
    }

    /** A timestamptz column of a row as an instant (null stays null). */
    public static Instant instant(Row row, String column) {
        OffsetDateTime t = row.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }
}
