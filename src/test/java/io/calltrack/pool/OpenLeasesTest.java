package io.calltrack.pool;

import io.calltrack.retention.VisitHistory;
import io.calltrack.support.Sql;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code open_leases}, the few leases without an end that attribution looks up instead of every month of the
 * history, follows every writer of the lease history: the lease log's lines in either order, the pool's recovery
 * ending leases lost with Redis, a deletion; the keeper drops an entry left behind all the same.
 */
@QuarkusTest
class OpenLeasesTest {

    /** This month: its partition is made at start (the keeper run below would otherwise make one for the month). */
    private static final long START = Instant.now().toEpochMilli() / 1000 * 1000;

    @Inject
    Pool db;
    @Inject
    VisitHistory history;

    private List<Row> sql(String statement, Object... args) {
        return Sql.rows(db, statement, args);
    }

    @BeforeEach
    @AfterEach
    void clean() {
        sql("DELETE FROM leases WHERE session_id LIKE 'open-%'");
        sql("DELETE FROM open_leases WHERE session_id LIKE 'open-%'");
    }

    /** One line of the lease log, through its own statement: the lease's start, and its end when given. */
    private void line(String session, Long endMs) {
        db.preparedQuery(LeaseLog.UPSERT).execute(Tuple.from(new Object[]{new String[]{"open-pool"}, new String[]{"+74951110001"},
                new String[]{session}, new String[]{"visitor"}, new Long[]{START}, new Long[]{START + 60_000},
                new Long[]{endMs}, new Boolean[]{false}})).await().indefinitely();
    }

    private List<String> open() {
        return sql("SELECT session_id FROM open_leases WHERE session_id LIKE 'open-%' ORDER BY session_id").stream()
                .map(r -> r.getString("session_id")).toList();
    }

    @Test
    void aLeaseIsOpenFromItsStartToItsEnd() {
        line("open-a", null);
        assertEquals(List.of("open-a"), open());
        assertEquals(Instant.ofEpochMilli(START), sql("SELECT started_at FROM open_leases WHERE session_id = 'open-a'").get(0)
                .getOffsetDateTime("started_at").toInstant());
        line("open-a", null); // the lease log's lines may come more than once
        assertEquals(List.of("open-a"), open());
        line("open-a", START + 900_000);
        assertEquals(List.of(), open());
    }

    @Test
    void anEndReadBeforeItsStartLeavesNothingOpen() {
        line("open-b", START + 900_000);
        line("open-b", null);
        assertEquals(List.of(), open());
    }

    @Test
    void leasesEndedByThePoolsRecoveryOrDeletedAreNoLongerOpen() {
        line("open-c", null);
        line("open-d", null);
        line("open-e", null);
        assertEquals(List.of("open-c", "open-d", "open-e"), open());
        // as the pool's recovery ends the leases whose end was lost with Redis
        sql("UPDATE leases SET ended_at = last_seen_at WHERE session_id = 'open-c'");
        sql("DELETE FROM leases WHERE session_id = 'open-d'");
        assertEquals(List.of("open-e"), open());
    }

    @Test
    void theKeeperDropsAnEntryWhoseLeaseEnded() {
        line("open-f", START + 900_000);
        line("open-g", null);
        // left by a writer outside the triggers
        sql("INSERT INTO open_leases (number, session_id, started_at) SELECT number, session_id, started_at FROM leases "
                + "WHERE session_id = 'open-f'");
        assertEquals(List.of("open-f", "open-g"), open());
        while (history.keep(Instant.now(), Optional.empty()).await().indefinitely() == null) {
            Thread.onSpinWait(); // the service's own scheduled run held the lock
        }
        assertEquals(List.of("open-g"), open());
    }

    /**
     * The trigger's statements are planned for the rows each call wrote: a connection whose first lease statements were
     * large must not keep a plan costed for them (HistoryBench measures the rate either way).
     */
    @Test
    void theTriggerPlansEachCallForItsOwnRows() {
        assertEquals(List.of("plan_cache_mode=force_custom_plan"), sql("SELECT unnest(proconfig) AS setting FROM pg_proc "
                + "WHERE oid = 'open_leases_keep'::regproc").stream().map(r -> r.getString("setting")).toList());
    }
}
