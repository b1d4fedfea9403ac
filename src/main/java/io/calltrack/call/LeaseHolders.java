package io.calltrack.call;

import io.calltrack.pool.sizing.CallOdds;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import static io.calltrack.Clocks.utc;

/**
 * The leases attribution weighs for calls ringing on numbers: for each (number, ring instant), those that held
 * it then or ended before it, marked whether they ended within the pool's late-call window (only those can be
 * attributed; the older ones still count in the probability, as the call may be theirs: as many and as far back
 * as the pool's call model looks), the latest end first. The caller has ended every expired lease and written the
 * lease log first, so a lease without an end is live in Redis now: it has held the number without a break since
 * it started, ring time included, however long ago its last logged activity (logged once a minute) and however
 * short the hold.
 * <p>
 * The lease history is partitioned by month of a lease's start and grows without end, so the read names the
 * months it needs as plain bounds the planner prunes by: the leases begun in the {@link #HISTORY} before the
 * window, and the open ones of any age (a page left open for weeks keeps its number), whose starts
 * {@code open_leases} gives in one probe. A lease that lasted longer than that and has ended since is not seen
 * by a call attributed again afterwards.
 */
public final class LeaseHolders {

    /** How long before a ring's window a lease that has ended may have begun and still be read. */
    static final Duration HISTORY = Duration.ofDays(31);

    private LeaseHolders() {
    }

    /** A ring to look up: the number, the instant, and the pool's late-call window. */
    public record Ask(String did, Instant at, Duration lateWindow) {
        /** From here back the ring's holders are read (the late window, or the call model's look-back if longer). */
        Instant back() {
            return at.minus(lateWindow.compareTo(CallOdds.LOOKBACK) > 0 ? lateWindow : CallOdds.LOOKBACK);
        }
    }

    private static final String OPEN_SINCE = "SELECT number, min(started_at) AS since FROM open_leases WHERE number = ANY($1) GROUP BY number";

    /**
     * Per ring ($1..$4 by ordinality): the holders of its number. $5..$6 bound every ring's starts at once, as plain
     * values the planner sees, so that only the months between them are planned and read.
     */
    private static final String HOLDERS = """
            SELECT q.i, h.* FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[], $4::timestamptz[])
                 WITH ORDINALITY AS q(did, ring, window_from, back, i)
            CROSS JOIN LATERAL (
                SELECT l.session_id, l.started_at, l.last_seen_at, l.shared, l.ended_at AS until,
                       coalesce(l.ended_at, 'infinity') >= q.window_from AS in_window
                FROM leases l
                WHERE l.number = q.did AND coalesce(l.ended_at, 'infinity') >= q.back
                  AND l.started_at >= $5 AND l.started_at <= $6 AND l.started_at <= q.ring
                  AND (l.started_at >= q.back - make_interval(days => $7) OR l.ended_at IS NULL)
                ORDER BY coalesce(l.ended_at, 'infinity') DESC LIMIT $8) h""";

    /**
     * The holders of each ring's number, in the order of {@code asks} (the latest end first within each). The open
     * leases' starts and the holders are asked for at once (one round trip, on two connections of a pool): only when
     * a number has a lease open since before the months read (a page open for weeks) are they read again from then.
     */
    public static Uni<List<List<Row>>> read(SqlClient db, List<Ask> asks) {
        String[] dids = asks.stream().map(Ask::did).distinct().toArray(String[]::new);
        Instant from = asks.stream().map(a -> a.back().minus(HISTORY)).min(Instant::compareTo).orElseThrow();
        return Uni.combine().all().unis(db.preparedQuery(OPEN_SINCE).execute(Tuple.of(dids)), holders(db, asks, from)).asTuple()
                .chain(both -> {
                    Instant openFrom = from;
                    for (Row r : both.getItem1()) {
                        Instant since = r.getOffsetDateTime("since").toInstant();
                        openFrom = since.isBefore(openFrom) ? since : openFrom;
                    }
                    return openFrom.equals(from) ? Uni.createFrom().item(both.getItem2()) : holders(db, asks, openFrom);
                }).map(rows -> {
                    // each row's i is its ring's place in asks, from 1
                    List<List<Row>> byAsk = new ArrayList<>();
                    asks.forEach(a -> byAsk.add(new ArrayList<>()));
                    rows.forEach(r -> byAsk.get(r.getLong("i").intValue() - 1).add(r));
                    return byAsk;
                });
    }

    private static Uni<RowSet<Row>> holders(SqlClient db, List<Ask> asks, Instant from) {
        int n = asks.size();
        String[] did = new String[n];
        OffsetDateTime[] ring = new OffsetDateTime[n], windowFrom = new OffsetDateTime[n], back = new OffsetDateTime[n];
        Instant highest = Instant.MIN;
        for (int k = 0; k < n; k++) {
            Ask a = asks.get(k);
            did[k] = a.did();
            ring[k] = utc(a.at());
            windowFrom[k] = utc(a.at().minus(a.lateWindow()));
            back[k] = utc(a.back());
            highest = a.at().isAfter(highest) ? a.at() : highest;
        }
        return db.preparedQuery(HOLDERS).execute(Tuple.from(new Object[]{did, ring, windowFrom, back, utc(from), utc(highest),
                (int) HISTORY.toDays(), CallOdds.MAX_HOLDERS}));
    }
}
