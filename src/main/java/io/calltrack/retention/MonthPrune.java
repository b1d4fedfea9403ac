package io.calltrack.retention;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.calltrack.Clocks.monthStart;

/**
 * Retention of the visit and lease history, a month at a time, oldest first: of a month that ended longer ago than
 * the retention, only what a call needs stays — the visits with a call, the leases of numbers called while held or
 * within the late-call window after (the holders attribution weighed; one live at the ring, if it lasted longer
 * than that window beyond it, only when the call is its visit's), their visits, and leases still open. The
 * month's partitions are replaced by ones holding those rows. The daily tables' visit counts of the days up to
 * the month's end are frozen first ({@code report_visits_frozen}): a day rebuilt later (a call's outcome set) keeps
 * the visits it had.
 */
final class MonthPrune {

    private static final Logger LOG = Logger.getLogger(MonthPrune.class);
    /** The least retention beyond the longest late-call window: calls still to come, and the daily passes' settling. */
    static final Duration MARGIN = Duration.ofDays(7);

    private MonthPrune() {
    }

    record Pruned(YearMonth month, long visits, long visitsKept, long leases, long leasesKept) {
    }

    record Result(List<Pruned> pruned, String skipped) {
    }

    /** Prunes, in order, the months of {@code months} not pruned yet that ended at least {@code retention} before now. */
    static Uni<Result> due(SqlConnection conn, Set<YearMonth> months, Instant now, Duration retention) {
        return conn.query("""
                SELECT (SELECT max(month) FROM visit_months_pruned) AS last,
                       (SELECT pending_from FROM report_days_state) AS reported,
                       (SELECT coalesce(max(late_window_seconds), 0) FROM pools) AS late""").execute().chain(rows -> {
            Row state = rows.iterator().next();
            LocalDate last = state.getLocalDate("last");
            OffsetDateTime reported = state.getOffsetDateTime("reported");
            Duration late = Duration.ofSeconds(state.getLong("late"));
            if (retention.compareTo(late.plus(MARGIN)) < 0) {
                String why = "calltrack.retention.visits " + retention + " is shorter than the longest late-call window (" + late
                        + ") plus " + MARGIN.toDays() + " days: nothing pruned";
                LOG.warn(why);
                return Uni.createFrom().item(new Result(List.of(), why));
            }
            Instant horizon = now.minus(retention);
            List<YearMonth> due = new ArrayList<>();
            String skipped = null;
            for (YearMonth m : months) {
                Instant end = monthStart(m.plusMonths(1)).toInstant();
                if ((last != null && !m.atDay(1).isAfter(last)) || end.isAfter(horizon)) {
                    continue;
                }
                if (reported == null || !reported.toInstant().isAfter(end.plus(Duration.ofDays(1)))) {
                    skipped = "the daily figures have not taken in " + m + " yet";
                    break;
                }
                due.add(m);
            }
            Uni<List<Pruned>> chain = Uni.createFrom().item(new ArrayList<>());
            for (YearMonth m : due) {
                chain = chain.chain(done -> prune(conn, m, late).map(p -> {
                    done.add(p);
                    return done;
                }));
            }
            String why = skipped;
            return chain.map(done -> new Result(done, why));
        });
    }

    private static Uni<Pruned> prune(SqlConnection conn, YearMonth month, Duration late) {
        String visits = Months.partition("sessions", month), leases = Months.partition("leases", month);
        OffsetDateTime start = monthStart(month), end = monthStart(month.plusMonths(1));
        Tuple window = Tuple.of(start, end, (double) late.toSeconds());
        return conn.query("LOCK TABLE " + visits + ", " + leases + " IN SHARE MODE").execute()
                .chain(() -> conn.preparedQuery(FREEZE).execute(Tuple.of(end)))
                .chain(() -> conn.query("CREATE TEMP TABLE kept_leases (LIKE leases) ON COMMIT DROP").execute())
                .chain(() -> conn.preparedQuery("INSERT INTO kept_leases "
                        + "SELECT * FROM " + leases + " WHERE session_id IN (SELECT session_id FROM calls WHERE session_id IS NOT NULL) "
                        + "UNION SELECT * FROM " + leases + " WHERE ended_at IS NULL "
                        // the holders of a called number: ended within the late-call window before the ring, or live then
                        // and ended within as long after it (read by end from the number's index: a month holds thousands)
                        + "UNION SELECT l.* FROM calls c JOIN " + leases + " l ON l.number = c.did AND l.started_at <= c.started_at "
                        + "AND coalesce(l.ended_at, 'infinity') BETWEEN c.started_at - make_interval(secs => $3::float8) "
                        + "AND c.started_at + make_interval(secs => $3::float8) "
                        + "WHERE c.started_at >= $1::timestamptz AND c.started_at < $2::timestamptz + make_interval(secs => $3::float8) AND c.did IS NOT NULL")
                        .execute(window))
                .chain(() -> conn.query("CREATE TEMP TABLE kept_visits ON COMMIT DROP AS SELECT * FROM " + visits
                        + " WHERE id IN (SELECT session_id FROM kept_leases UNION SELECT session_id FROM calls WHERE session_id IS NOT NULL)").execute())
                .chain(() -> conn.query("SELECT (SELECT count(*) FROM " + visits + ") AS visits, (SELECT count(*) FROM kept_visits) AS visits_kept, "
                        + "(SELECT count(*) FROM " + leases + ") AS leases, (SELECT count(*) FROM kept_leases) AS leases_kept").execute())
                .chain(counts -> {
                    Row c = counts.iterator().next();
                    Pruned p = new Pruned(month, c.getLong("visits"), c.getLong("visits_kept"), c.getLong("leases"), c.getLong("leases_kept"));
                    return Months.replace(conn, "sessions", month, "kept_visits")
                            .chain(() -> Months.replace(conn, "leases", month, "kept_leases"))
                            // the visits' entries for this month whose leases went with it (see visit_lease_months)
                            .chain(() -> conn.preparedQuery("DELETE FROM visit_lease_months m WHERE month = $1 "
                                    + "AND NOT EXISTS (SELECT 1 FROM kept_leases k WHERE k.session_id = m.session_id)").execute(Tuple.of(month.atDay(1))))
                            .chain(() -> conn.query("DROP TABLE kept_visits, kept_leases").execute())
                            .chain(() -> conn.preparedQuery("INSERT INTO visit_months_pruned (month, ends_at, pruned_at, visits, kept, leases, leases_kept) "
                                    + "VALUES ($1, $2, now(), $3, $4, $5, $6)").execute(Tuple.from(List.of(month.atDay(1), end, p.visits(),
                                    p.visitsKept(), p.leases(), p.leasesKept()))))
                            .invoke(() -> LOG.infof("visits of %s pruned: %d of %d kept, leases %d of %d kept", month, p.visitsKept(),
                                    p.visits(), p.leasesKept(), p.leases()))
                            .replaceWith(p);
                });
    }

    /**
     * The visit counts of every site-day of the daily tables that began before $1 (the month's end), as they are:
     * the pass has taken in every visit of those days (checked before). Days frozen by an earlier month stay as they were.
     */
    private static final String FREEZE = """
            INSERT INTO report_visits_frozen (site_key, day, kind, k1, k2, k3, sessions)
            SELECT site_key, day, 'channel', source, medium, campaign, sessions FROM report_days
            WHERE sessions > 0 AND (day::timestamp AT TIME ZONE timezone) < $1
            UNION ALL
            SELECT site_key, day, kind, term, '', '', sessions FROM report_day_terms
            WHERE sessions > 0 AND (day::timestamp AT TIME ZONE timezone) < $1
            ON CONFLICT DO NOTHING""";
}
