package io.calltrack;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The start a visit's id carries (the service makes it with {@link Secrets#timeOrderedBase64Url} from the visit's
 * start): its rows are read from the month's partition that holds them first, from every month only when that
 * finds nothing (an id the service did not make, a row not written yet).
 */
public final class VisitIdTime {

    /**
     * How far a row's start may lie from its visit id's time: the visit's own start is the same clock read, a
     * lease's another (perhaps another replica's).
     */
    private static final Duration LEEWAY = Duration.ofMinutes(1);

    private VisitIdTime() {
    }

    /** The earliest start a row of the visit can have; empty for an id that carries no time. */
    public static Optional<OffsetDateTime> earliest(String visitId) {
        return Secrets.timeOf(visitId).map(t -> Clocks.utc(t.minus(LEEWAY)));
    }

    /** The latest start the visit's own row can have; empty for an id that carries no time. */
    public static Optional<OffsetDateTime> latest(String visitId) {
        return Secrets.timeOf(visitId).map(t -> Clocks.utc(t.plus(LEEWAY)));
    }

    /**
     * The end of the months a visit's leases are read from by its id alone: the start of the month after the one its
     * latest start falls in (months are UTC, as the partitions). A lease begun from then on (a page open across a
     * month's end, or for weeks) is entered in {@code visit_lease_months} by the lease log. Empty for an id that
     * carries no time.
     */
    public static Optional<OffsetDateTime> monthsEnd(String visitId) {
        return latest(visitId).map(t -> Clocks.monthStart(YearMonth.from(t).plusMonths(1)));
    }

    /** The rows {@code inMonth} found (null: not read), else those {@code everyMonth} reads. */
    public static Uni<RowSet<Row>> orEveryMonth(Uni<RowSet<Row>> inMonth, Supplier<Uni<RowSet<Row>>> everyMonth) {
        return inMonth.chain(rows -> rows != null && rows.size() > 0 ? Uni.createFrom().item(rows) : everyMonth.get());
    }
}
