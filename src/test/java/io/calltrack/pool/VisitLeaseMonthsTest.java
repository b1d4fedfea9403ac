package io.calltrack.pool;

import io.calltrack.Secrets;
import io.calltrack.support.Sql;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.stream.XAddArgs;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A visit's leases are read from the month its id names and the later months the lease log entered for it: a page
 * left open across two months' ends keeps its leases on the call's page, the common visit enters nothing.
 */
@QuarkusTest
class VisitLeaseMonthsTest {

    /** A pool no configuration names: only this test drains its log. */
    private static final String POOL = "lease-months";

    @Inject
    LeaseLog log;
    @Inject
    ReactiveRedisDataSource redis;
    @Inject
    Pool db;

    private final long now = Instant.now().toEpochMilli();
    /** Its visit began two months before now. */
    private final long began = now - 62L * 86_400_000;
    private final String visit = Secrets.timeOrderedBase64Url(began) + "~" + POOL;
    private final String common = Secrets.timeOrderedBase64Url(now) + "~" + POOL;

    @BeforeEach
    @AfterEach
    void clean() {
        Sql.rows(db, "DELETE FROM leases WHERE pool_id = $1", POOL);
        Sql.rows(db, "DELETE FROM visit_lease_months WHERE session_id = ANY($1)", (Object) new String[]{visit, common});
    }

    /** A lease as pool.lua logs it: kind|session|number|visitor|startMs|seenMs|endMs|shared. */
    private void logged(String session, String number, long start, Long end) {
        String line = String.join("|", end == null ? "start" : "end", session, number, "visitor", Long.toString(start),
                Long.toString(start + 1_000), end == null ? "" : end.toString(), "0");
        redis.stream(String.class).xadd(PoolKeys.events(POOL), new XAddArgs(), Map.of("d", line)).await().indefinitely();
    }

    @Test
    void leasesBegunAfterTheVisitsMonthAreFoundAndOnlyThoseMonthsEntered() {
        logged(visit, "+441000000031", began, began + 900_000);
        logged(visit, "+441000000032", now - 3_600_000, null); // the page, still open, took a number again an hour ago
        logged(common, "+441000000033", now, null);
        log.ensureGroup(POOL).await().indefinitely();
        log.drain(POOL).await().indefinitely();

        assertEquals(List.of("+441000000031", "+441000000032"),
                LeaseSpan.ofVisit(db, visit).await().indefinitely().stream().map(LeaseSpan::number).toList());
        assertEquals(List.of("+441000000033"),
                LeaseSpan.ofVisit(db, common).await().indefinitely().stream().map(LeaseSpan::number).toList());
        LocalDate thisMonth = Instant.ofEpochMilli(now - 3_600_000).atOffset(ZoneOffset.UTC).toLocalDate().withDayOfMonth(1);
        assertEquals(List.of(visit + " " + thisMonth), Sql.rows(db, "SELECT session_id || ' ' || month AS e FROM visit_lease_months "
                + "WHERE session_id = ANY($1)", (Object) new String[]{visit, common}).stream().map(r -> r.getString("e")).toList());
    }
}
