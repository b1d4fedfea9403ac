package io.calltrack.retention;

import io.calltrack.Secrets;
import io.calltrack.pool.LeaseSpan;
import io.calltrack.report.ReportDays;
import io.calltrack.session.VisitView;
import io.calltrack.support.Api;
import io.calltrack.support.Sql;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The visit and lease history's monthly partitions: made ahead, rows of a month without one moved out of the
 * default partition, and a month past the retention pruned to what calls need, its daily visit counts kept.
 * Its month (March 2019) and "now" lie before every other test's data, so that no other month is due.
 */
@QuarkusTest
class VisitHistoryTest {

    private static final YearMonth MARCH = YearMonth.of(2019, 3);
    /** A year and a month after March: March is due with a retention of 400 days, April not. */
    private static final Instant LATER = Instant.parse("2020-05-10T00:00:00Z");

    @Inject
    Pool db;
    @Inject
    VisitHistory history;
    @Inject
    ReportDays days;

    private List<Row> sql(String statement, Object... args) {
        return Sql.rows(db, statement, args);
    }

    @BeforeEach
    @AfterEach
    void clean() {
        sql("DELETE FROM calls WHERE pbx = 'history'");
        sql("DELETE FROM sessions WHERE id LIKE 'history-%'");
        sql("DELETE FROM leases WHERE session_id LIKE 'history-%'");
        sql("DELETE FROM visit_lease_months WHERE session_id LIKE 'history-%'");
        sql("DELETE FROM visit_months_pruned");
        sql("DELETE FROM report_visits_frozen WHERE day < '2019-06-01'");
        sql("DELETE FROM report_days WHERE day < '2019-06-01'");
        sql("DELETE FROM report_day_terms WHERE day < '2019-06-01'");
        for (YearMonth m : List.of(MARCH, MARCH.plusMonths(1), MARCH.plusMonths(2))) {
            for (String table : Months.TABLES) {
                sql("DROP TABLE IF EXISTS " + Months.partition(table, m));
            }
        }
    }

    /** A run of the keeper (again when the service's own scheduled run held the lock). */
    private VisitHistory.Kept keep(Instant now, Optional<Duration> retention) {
        VisitHistory.Kept kept;
        while ((kept = history.keep(now, retention).await().indefinitely()) == null) {
            Thread.onSpinWait();
        }
        return kept;
    }

    private String partitionOf(String table, String idColumn, String id) {
        return sql("SELECT tableoid::regclass::text AS p FROM " + table + " WHERE " + idColumn + " = $1", id).get(0).getString("p");
    }

    private static OffsetDateTime at(String instant) {
        return OffsetDateTime.parse(instant);
    }

    private void visit(String id, String at, String source) {
        sql("INSERT INTO sessions (id, site_key, visitor_id, started_at, last_seen_at, source, medium) "
                + "VALUES ($1, 'shop', $1, $2, $2 + interval '10 minutes', $3, 'cpc')", id, at(at), source);
    }

    private void lease(String session, String number, String from, String to) {
        sql("INSERT INTO leases (pool_id, number, session_id, visitor_id, started_at, last_seen_at, ended_at) "
                + "VALUES ('history-pool', $2, $1, $1, $3, coalesce($4, $3), $4)", session, number, at(from), to == null ? null : at(to));
    }

    private void call(String id, String did, String at, String session) {
        sql("INSERT INTO calls (pbx, linkedid, did, caller, started_at, ended_at, site_key, session_id, source) "
                + "VALUES ('history', $1, $2, '+74950000000', $3, $3 + interval '1 minute', 'shop', $4, 'google')", id, did, at(at), session);
    }

    private Set<String> left(String table, String column) {
        Set<String> ids = new TreeSet<>();
        sql("SELECT " + column + " AS id FROM " + table + " WHERE " + column + " LIKE 'history-%'").forEach(r -> ids.add(r.getString("id")));
        return ids;
    }

    @Test
    void monthsAreMadeAheadAndRowsOfAMonthWithoutOneMovedOutOfTheDefault() {
        keep(Instant.now(), Optional.empty());
        YearMonth now = YearMonth.now(java.time.ZoneOffset.UTC);
        for (YearMonth m : List.of(now, now.plusMonths(1), now.plusMonths(2))) {
            for (String table : Months.TABLES) {
                assertEquals(1, sql("SELECT 1 FROM pg_class WHERE relname = $1", Months.partition(table, m)).size(), table + " " + m);
            }
        }
        visit("history-stray", "2019-03-10T12:00:00Z", "google");
        lease("history-stray", "+441000000001", "2019-03-10T12:00:00Z", "2019-03-10T12:10:00Z");
        assertEquals("sessions_default", partitionOf("sessions", "id", "history-stray"));

        VisitHistory.Kept kept = keep(Instant.parse("2019-03-15T00:00:00Z"), Optional.empty());

        assertTrue(kept.made().contains(MARCH), kept.toString());
        assertEquals("sessions_2019_03", partitionOf("sessions", "id", "history-stray"));
        assertEquals("leases_2019_03", partitionOf("leases", "session_id", "history-stray"));
        assertEquals(0, sql("SELECT 1 FROM sessions_default UNION ALL SELECT 1 FROM leases_default").size());
        // a second run has nothing to make
        assertEquals(List.of(), keep(Instant.parse("2019-03-15T00:00:00Z"), Optional.empty()).made());
    }

    @Test
    void aMonthPastTheRetentionKeepsWhatCallsNeedAndItsDailyVisitCounts() {
        // a: its visit has the call; b: held a number called two hours after the visit (within the late-call window);
        // c: held a number nobody called; d: had no number; e: a lease still open; f: April, not due
        visit("history-a", "2019-03-05T10:00:00Z", "google");
        lease("history-a", "+441000000011", "2019-03-05T10:00:00Z", "2019-03-05T10:10:00Z");
        visit("history-b", "2019-03-06T10:00:00Z", "google");
        lease("history-b", "+441000000012", "2019-03-06T10:00:00Z", "2019-03-06T10:10:00Z");
        visit("history-c", "2019-03-07T10:00:00Z", "yandex");
        lease("history-c", "+441000000013", "2019-03-07T10:00:00Z", "2019-03-07T10:10:00Z");
        visit("history-d", "2019-03-07T11:00:00Z", "yandex");
        visit("history-e", "2019-03-08T10:00:00Z", "yandex");
        lease("history-e", "+441000000014", "2019-03-08T10:00:00Z", null);
        visit("history-f", "2019-04-02T10:00:00Z", "yandex");
        lease("history-f", "+441000000015", "2019-04-02T10:00:00Z", "2019-04-02T10:10:00Z");
        // leases the lease log found begun after their visit's own month: c's go with March, e's stay, f's are April's
        sql("INSERT INTO visit_lease_months (session_id, month) VALUES ('history-c', '2019-03-01'), ('history-e', '2019-03-01'), "
                + "('history-f', '2019-04-01')");
        call("history-1", "+441000000011", "2019-03-05T10:05:00Z", "history-a");
        call("history-2", "+441000000012", "2019-03-06T12:10:00Z", null);
        call("history-3", "+441000009999", "2019-03-07T12:00:00Z", null); // a day of c and d: rebuilt with them
        call("history-4", "+441000009999", "2019-03-08T12:00:00Z", null);
        keep(Instant.parse("2019-03-15T00:00:00Z"), Optional.empty());
        days.passNow().await().indefinitely();
        String before = Api.given().queryParam("from", "2019-03-01").queryParam("to", "2019-03-31").queryParam("site", "shop")
                .queryParam("groupBy", "source").queryParam("perDay", "false").when().get("/v1/reports/daily").then().statusCode(200)
                .extract().path("rows.collect { it.channel.source + ':' + it.sessions + '/' + it.calls }").toString();
        long marchOid = sql("SELECT 'sessions_2019_03'::regclass::oid::bigint AS o").get(0).getLong("o");

        VisitHistory.Kept kept = keep(LATER, Optional.of(Duration.ofDays(400)));

        assertEquals(1, kept.pruned().size(), kept.toString());
        MonthPrune.Pruned march = kept.pruned().get(0);
        assertEquals(MARCH, march.month());
        assertTrue(march.visits() >= 5 && march.visitsKept() == march.visits() - 2, march.toString());
        assertEquals(Set.of("history-a", "history-b", "history-e", "history-f"), left("sessions", "id"));
        assertEquals(Set.of("history-a", "history-b", "history-e", "history-f"), left("leases", "session_id"));
        assertNotEquals(marchOid, sql("SELECT 'sessions_2019_03'::regclass::oid::bigint AS o").get(0).getLong("o"),
                "the month's partition was replaced, not deleted from");
        assertNotNull(sql("SELECT pruned_at FROM visit_months_pruned WHERE month = '2019-03-01'").get(0).getValue("pruned_at"));
        assertEquals(Set.of("history-e", "history-f"), left("visit_lease_months", "session_id"));

        // an outcome set on an old call rebuilds its day: its visits are the ones counted before the month was pruned
        sql("UPDATE calls SET outcome_status = 'LEAD', updated_at = now() WHERE pbx = 'history'");
        days.passNow().await().indefinitely();
        String after = Api.given().queryParam("from", "2019-03-01").queryParam("to", "2019-03-31").queryParam("site", "shop")
                .queryParam("groupBy", "source").queryParam("perDay", "false").when().get("/v1/reports/daily").then().statusCode(200)
                .extract().path("rows.collect { it.channel.source + ':' + it.sessions + '/' + it.calls }").toString();
        assertEquals(before, after);
        assertTrue(before.contains("yandex:3/"), before);
        assertEquals(1, sql("SELECT sum(leads) AS l FROM report_days WHERE day = '2019-03-05' AND site_key = 'shop'").get(0).getLong("l"));

        // pruned once: a later run leaves it
        assertEquals(List.of(), keep(LATER, Optional.of(Duration.ofDays(400))).pruned());
    }

    @Test
    void behindALongQueryTheKeeperGivesUpRatherThanHoldWritesBack() {
        // a report's long read of the visits (its transaction open): making March's partition needs the table alone
        SqlConnection reader = db.getConnection().await().indefinitely();
        Transaction open = reader.begin().await().indefinitely();
        try {
            reader.query("SELECT count(*) FROM sessions").execute().await().indefinitely();
            long t0 = System.nanoTime();
            RuntimeException e = assertThrows(RuntimeException.class, () -> keep(Instant.parse("2019-03-15T00:00:00Z"), Optional.empty()));
            assertTrue(String.valueOf(e.getMessage()).contains("lock timeout"), e.toString());
            assertTrue(System.nanoTime() - t0 < 10e9, "gave up within its lock timeout");
        } finally {
            open.rollback().await().indefinitely();
            reader.close().await().indefinitely();
        }
        // a visit is written at once, and the next run makes the month
        visit("history-after", "2019-03-10T12:00:00Z", "google");
        assertTrue(keep(Instant.parse("2019-03-15T00:00:00Z"), Optional.empty()).made().contains(MARCH));
    }

    @Test
    void aVisitIsReadByItsIdFromTheMonthTheIdNamesOrFromAnyWhenThatFails() {
        keep(Instant.parse("2019-03-15T00:00:00Z"), Optional.empty());
        // as the service makes them: the id carries the visit's start
        String made = Secrets.timeOrderedBase64Url(Instant.parse("2019-03-10T12:00:00Z").toEpochMilli()) + "~shop-visits";
        visit(made, "2019-03-10T12:00:00Z", "google");
        lease(made, "+441000000021", "2019-03-10T12:00:30Z", "2019-03-10T12:10:00Z");
        // an id of that shape whose time is not its visit's start (made elsewhere): found all the same
        String odd = Secrets.timeOrderedBase64Url(Instant.parse("2019-05-01T00:00:00Z").toEpochMilli());
        visit(odd, "2019-03-11T12:00:00Z", "yandex");
        lease(odd, "+441000000022", "2019-03-11T12:00:00Z", "2019-03-11T12:10:00Z");
        try {
            assertEquals("google", VisitView.read(db, made).await().indefinitely().orElseThrow().source());
            assertEquals("yandex", VisitView.read(db, odd).await().indefinitely().orElseThrow().source());
            assertEquals(List.of("+441000000021"), LeaseSpan.ofVisit(db, made).await().indefinitely().stream().map(LeaseSpan::number).toList());
            assertEquals(List.of("+441000000022"), LeaseSpan.ofVisit(db, odd).await().indefinitely().stream().map(LeaseSpan::number).toList());
            assertTrue(VisitView.read(db, Secrets.timeOrderedBase64Url(0)).await().indefinitely().isEmpty());
        } finally {
            sql("DELETE FROM sessions WHERE id = ANY($1)", (Object) new String[]{made, odd});
            sql("DELETE FROM leases WHERE session_id = ANY($1)", (Object) new String[]{made, odd});
        }
    }

    @Test
    void aRetentionWithinTheLateCallWindowPrunesNothing() {
        VisitHistory.Kept kept = keep(LATER, Optional.of(Duration.ofDays(1)));
        assertEquals(List.of(), kept.pruned());
        assertTrue(kept.skipped().contains("late-call window"), kept.skipped());
    }
}
