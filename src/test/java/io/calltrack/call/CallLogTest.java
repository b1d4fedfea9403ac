package io.calltrack.call;

import io.calltrack.support.Visits;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.calltrack.support.Api.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET /v1/calls: filters, keyset pages, incremental sync while calls keep changing; GET /v1/calls/{id}. */
@QuarkusTest
class CallLogTest {

    @Inject
    Pool db;

    private static final OffsetDateTime T0 = OffsetDateTime.of(2026, 11, 2, 9, 0, 0, 0, ZoneOffset.UTC);

    /** Inserts a call of PBX {@code pbx}; fields: did, caller, disposition, source, medium, method, repeat. */
    private long insert(String pbx, int n, String disposition, String source, String medium, String method, boolean repeat) {
        return db.preparedQuery("""
                INSERT INTO calls (pbx, linkedid, did, caller, started_at, answered_at, ended_at, disposition, site_key,
                                   pool_id, source, medium, campaign, keyword, attribution_method, repeat_caller)
                VALUES ($1, $2, $3, $4, $5, CASE WHEN $6 = 'ANSWERED' THEN $5 END, $5, $6, 'demo', 'demo-visits',
                        $7, $8, 'spring', 'drain ' || $7, $9, $10) RETURNING id""")
                .execute(Tuple.from(new Object[]{pbx, "c" + n, "+7495111000" + (n % 10), "+7916000" + (1000 + n),
                        T0.plusMinutes(n), disposition, source, medium, method, repeat}))
                .await().indefinitely().iterator().next().getLong("id");
    }

    private static JsonPath page(Map<String, Object> params) {
        return given().queryParams(params).when().get("/v1/calls").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void everyFilterSelectsItsCalls() {
        String pbx = "log-" + System.nanoTime();
        insert(pbx, 1, "ANSWERED", "google", "cpc", "LIVE_LEASE", false);
        insert(pbx, 2, "NO_ANSWER", "google", "organic", "RECENT_LEASE", false);
        insert(pbx, 3, "BUSY", "yandex", "cpc", "UNATTRIBUTED", true);
        insert(pbx, 4, "ANSWERED", "yandex", "cpc", "STATIC_POOL", true);
        Map<String, Integer> expected = new java.util.LinkedHashMap<>();
        expected.put("", 4);
        expected.put("source=google", 2);
        expected.put("medium=cpc", 3);
        expected.put("keyword=drain yandex", 2);
        expected.put("disposition=answered", 2);
        expected.put("method=UNATTRIBUTED", 1);
        expected.put("repeat=true", 2);
        expected.put("answered=false", 2);
        expected.put("did=+74951110003", 1);
        expected.put("caller=+79160001002", 1);
        expected.put("from=" + T0.plusMinutes(2).toInstant(), 3);
        expected.put("to=" + T0.plusMinutes(2).toInstant(), 1);
        expected.put("site=demo", 4);
        expected.put("pool=nope", 0);
        expected.put("campaign=spring", 4);
        expected.forEach((query, count) -> {
            Map<String, Object> params = new HashMap<>(Map.of("pbx", pbx));
            if (!query.isEmpty()) {
                params.put(query.substring(0, query.indexOf('=')), query.substring(query.indexOf('=') + 1));
            }
            assertEquals(count, page(params).getList("items").size(), query);
        });
        JsonPath all = page(Map.of("pbx", pbx));
        assertEquals("+74951110004", all.getString("items[0].did"), "newest ring first");
        assertEquals("LIVE_LEASE", all.getString("items[3].attribution.method"));
    }

    @Test
    void pagesFollowTheCursorWithoutGapsOrRepeats() {
        String pbx = "log-" + System.nanoTime();
        for (int i = 0; i < 25; i++) {
            insert(pbx, i, "ANSWERED", "google", "cpc", "LIVE_LEASE", false);
        }
        List<Long> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Map<String, Object> params = new HashMap<>(Map.of("pbx", pbx, "limit", 10));
            if (cursor != null) {
                params.put("cursor", cursor);
            }
            JsonPath p = page(params);
            seen.addAll(p.getList("items.id", Long.class));
            cursor = p.getString("nextCursor");
            pages++;
        } while (cursor != null);
        assertEquals(3, pages);
        assertEquals(25, seen.size());
        assertEquals(25, new HashSet<>(seen).size());
    }

    @Test
    void incrementalSyncSeesEveryChangeOnceWhileCallsKeepChanging() throws Exception {
        String pbx = "sync-" + System.nanoTime();
        Instant since = Instant.now().minusSeconds(1);
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Long> ids = new ArrayList<>();
        Thread writer = new Thread(() -> {
            for (int i = 0; i < 150; i++) {
                ids.add(insert(pbx, i, "ANSWERED", "google", "cpc", "LIVE_LEASE", false));
                if (i % 3 == 0) { // and some earlier calls change again
                    db.preparedQuery("UPDATE calls SET talk_seconds = $2, updated_at = now() WHERE id = $1")
                            .execute(Tuple.of(ids.get(i / 2), i)).await().indefinitely();
                }
            }
            writing.set(false);
        });
        writer.start();
        Set<String> versions = new HashSet<>();
        String cursor = null;
        List<String> finalVersions = null;
        long deadline = Long.MAX_VALUE;
        // pages while the writer writes, then until the latest version of every call has come through: the sync's
        // horizon (the oldest open transaction) may hold the last ones back a while on a busy machine
        while (finalVersions == null || !versions.containsAll(finalVersions)) {
            assertTrue(System.currentTimeMillis() < deadline, "the latest versions not seen within 30 s of the last write");
            Map<String, Object> params = new HashMap<>(Map.of("pbx", pbx, "limit", 7));
            params.put(cursor == null ? "updatedSince" : "cursor", cursor == null ? since.toString() : cursor);
            JsonPath p = page(params);
            List<Map<String, Object>> items = p.getList("items");
            for (Map<String, Object> item : items) {
                assertTrue(versions.add(item.get("id") + "@" + item.get("updatedAt")), "seen twice: " + item.get("id"));
            }
            cursor = p.getString("nextCursor");
            if (finalVersions == null && !writing.get()) {
                writer.join();
                List<String> latest = new ArrayList<>();
                db.preparedQuery("SELECT id, updated_at FROM calls WHERE pbx = $1").execute(Tuple.of(pbx)).await().indefinitely()
                        .forEach(r -> latest.add(r.getLong("id") + "@" + r.getOffsetDateTime("updated_at").toInstant()));
                assertEquals(150, latest.size());
                finalVersions = latest;
                deadline = System.currentTimeMillis() + 30_000;
            }
            if (items.isEmpty()) {
                Thread.sleep(50);
            }
        }
        assertTrue(cursor != null, "a sync page carries its cursor");
        assertEquals(List.of(), page(Map.of("pbx", pbx, "limit", 7, "cursor", cursor)).getList("items"), "nothing more, nothing twice");
    }

    @Test
    void aTransactionLeftOpen_holdsSyncsBackOnlyOnceItHasWritten() {
        String pbx = "open-" + System.nanoTime();
        Map<String, Object> sync = Map.of("pbx", pbx, "updatedSince", Instant.now().minusSeconds(1).toString());
        SqlConnection other = db.getConnection().await().indefinitely();
        try {
            Transaction open = other.begin().await().indefinitely();
            other.query("SELECT count(*) FROM calls").execute().await().indefinitely(); // read only, then idle
            insert(pbx, 1, "ANSWERED", "google", "cpc", "LIVE_LEASE", false);
            assertEquals(1, page(sync).getList("items").size(), "a reader left idle in a transaction holds nothing back");

            other.query("CREATE TEMP TABLE held (x int)").execute().await().indefinitely(); // a write: it has an xid now
            insert(pbx, 2, "ANSWERED", "google", "cpc", "LIVE_LEASE", false);
            assertEquals(0, page(sync).getList("items").size(),
                    "a transaction that has written may yet commit changes stamped any time since it began");

            open.commit().await().indefinitely();
            assertEquals(2, page(sync).getList("items").size());
        } finally {
            other.close().await().indefinitely();
        }
    }

    @Test
    void aDailyReportPassWhileItRunsHoldsNoSyncBack() {
        String pbx = "pass-" + System.nanoTime();
        Map<String, Object> sync = Map.of("pbx", pbx, "updatedSince", Instant.now().minusSeconds(1).toString());
        SqlConnection other = db.getConnection().await().indefinitely();
        try {
            Transaction open = other.begin().await().indefinitely();
            other.query("SET LOCAL application_name = '" + io.calltrack.DbSessions.NO_CALL_WRITES + "'").execute().await().indefinitely();
            other.query("CREATE TEMP TABLE pass_held (x int)").execute().await().indefinitely(); // it has written
            insert(pbx, 1, "ANSWERED", "google", "cpc", "LIVE_LEASE", false);
            assertEquals(1, page(sync).getList("items").size(), "a transaction that writes no calls holds nothing back");
            open.rollback().await().indefinitely();
        } finally {
            other.close().await().indefinitely();
        }
    }

    @Test
    void badFiltersAreNamed() {
        for (String[] bad : new String[][]{{"from", "yesterday"}, {"disposition", "maybe"}, {"method", "GUESS"},
                {"cursor", "garbage"}, {"limit", "0"}, {"limit", "5000"}, {"updatedSince", "2026-13-01"}}) {
            given().queryParam(bad[0], bad[1]).when().get("/v1/calls").then().statusCode(400)
                    .contentType("application/problem+json").body("field", equalTo(bad[0]));
        }
    }

    @Test
    void oneCallWithTheVisitItCameFrom() {
        var visit = Visits.start("demo", "https://demo.example/pipes?utm_source=google&utm_medium=cpc&utm_term=pipe+leak"
                + "&utm_content=banner-a&gclid=G7&msclkid=M7&ttclid=T7");
        String number = visit.path("numbers[0].number");
        String external = "detail-" + System.nanoTime();
        long id = given().contentType("application/json")
                .body("{\"source\":\"log-test\",\"externalId\":\"" + external + "\",\"type\":\"start\",\"did\":\"" + number + "\"}")
                .when().post("/v1/calls/events").then().statusCode(200).extract().jsonPath().getLong("callId");
        given().when().get("/v1/calls/" + id).then().statusCode(200)
                .body("call.externalId", equalTo(external))
                .body("call.attribution.keyword", equalTo("pipe leak"))
                .body("call.attribution.content", equalTo("banner-a"))
                .body("call.attribution.msclkid", equalTo("M7"))
                .body("call.attribution.ttclid", equalTo("T7"))
                .body("call.attribution.visitorId", notNullValue())
                .body("session.landingUrl", equalTo("https://demo.example/pipes?utm_source=google&utm_medium=cpc&utm_term=pipe+leak"
                        + "&utm_content=banner-a&gclid=G7&msclkid=M7&ttclid=T7"))
                .body("session.gclid", equalTo("G7"))
                .body("session.msclkid", equalTo("M7"))
                .body("session.visitorId", notNullValue())
                .body("session.startedAt", org.hamcrest.Matchers.endsWith("Z"))
                .body("timeline[0].number", equalTo(number))
                .body("timeline[0].startedAt", org.hamcrest.Matchers.endsWith("Z"));
        given().when().get("/v1/calls/999999999").then().statusCode(404).contentType("application/problem+json");
    }
}
