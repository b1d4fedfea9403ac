package io.calltrack.web;

import io.calltrack.support.Api;
import io.calltrack.support.Browsers;
import io.calltrack.support.PoolFixture;
import io.calltrack.support.RawHttp;
import io.calltrack.support.Visits;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Defects found by sending hostile input from outside: each is a 4xx problem+json naming the field, never a 5xx. */
@QuarkusTest
class HostileInputTest {

    @Inject
    Pool db;
    @Inject
    ReactiveRedisDataSource redis;
    @Inject
    PoolFixture fixture;

    static void problem(Response r, int status, String field) {
        r.then().statusCode(status).contentType("application/problem+json").body("status", equalTo(status));
        if (field != null) {
            r.then().body("field", equalTo(field));
        }
    }

    static RequestSpecification browser() {
        return given().contentType("text/plain").header("User-Agent", Browsers.DESKTOP_CHROME).header("Origin", "http://localhost");
    }

    static String session(String site, String visitor, String url) {
        return "{\"siteKey\":\"" + site + "\",\"visitorId\":\"" + visitor + "\",\"url\":\"" + url + "\"}";
    }

    long storedSessions(String id) {
        return db.preparedQuery("SELECT count(*) FROM sessions WHERE id = $1").execute(Tuple.of(id))
                .await().indefinitely().iterator().next().getLong(0);
    }

    @Test
    void nulInALandingUrlIsCleanedAndTheVisitAndItsBatchMatesAreStored() {
        fixture.fresh("shop-paid");
        String poisoned = browser().body(session("shop", Visits.newVisitorId(), "https://shop.example.com/?utm_source=nul%00test&utm_medium=cpc"))
                .post("/v1/sessions").then().statusCode(200).extract().path("sessionId");
        String innocent = browser().body(session("shop", Visits.newVisitorId(), "https://shop.example.com/?utm_source=ok&utm_medium=cpc"))
                .post("/v1/sessions").then().statusCode(200).extract().path("sessionId");
        await().atMost(Duration.ofSeconds(15)).until(() -> storedSessions(poisoned) == 1 && storedSessions(innocent) == 1);
        String source = db.preparedQuery("SELECT source FROM sessions WHERE id = $1").execute(Tuple.of(poisoned))
                .await().indefinitely().iterator().next().getString(0);
        assertEquals("nultest", source);
    }

    @Test
    void nulInAJsonBodyFieldIsRefusedNamingTheField() {
        problem(browser().body("{\"siteKey\":\"shop\",\"visitorId\":\"" + Visits.newVisitorId()
                + "\",\"url\":\"https://shop.example.com/\",\"title\":\"a\\u0000b\"}").post("/v1/sessions"), 400, "title");
        problem(Api.given().contentType("application/json")
                .body("{\"source\":\"x\",\"externalId\":\"n\\u0000l\",\"type\":\"start\",\"did\":\"+74951110005\"}")
                .post("/v1/calls/events"), 400, "externalId");
    }

    @Test
    void nulInQueryAndPathParametersIsA400NamingTheParameter() {
        problem(Api.given().urlEncodingEnabled(false).get("/v1/calls?source=a%00b"), 400, "source");
        problem(Api.given().urlEncodingEnabled(false).get("/v1/calls.csv?keyword=%00"), 400, "keyword");
        problem(Api.given().urlEncodingEnabled(false).get("/v1/reports/sources?from=2026-11-01&to=2026-11-02&site=%00"), 400, "site");
        problem(Api.given().urlEncodingEnabled(false).post("/v1/admin/pools/shop-paid/numbers/%00/drain"), 400, "number");
    }

    @Test
    void farEventTimesAreRefusedNamingAt() {
        for (String at : new String[]{"+300000-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "2099-01-01T00:00:00Z"}) {
            problem(Api.given().contentType("application/json")
                    .body("{\"source\":\"far\",\"externalId\":\"x1\",\"type\":\"start\",\"did\":\"+74951110005\",\"at\":\"" + at + "\"}")
                    .post("/v1/calls/events"), 400, "at");
        }
        Api.when().get("/v1/calls").then().statusCode(200);
    }

    @Test
    void farDatesInSpendAndReportsAreRefused() {
        problem(Api.given().contentType("application/json")
                .body("[{\"date\":\"+999999999-12-31\",\"source\":\"g\",\"medium\":\"cpc\",\"amount\":1}]")
                .post("/v1/spend?site=demo"), 400, "[0].date");
        problem(Api.when().get("/v1/reports/sources?from=2026-11-01&to=+999999999-12-31"), 400, "to");
        problem(Api.when().get("/v1/reports/missed?from=-999999999-01-01&to=2026-11-01"), 400, "from");
    }

    @Test
    void malformedFiltersAre400() {
        problem(Api.given().urlEncodingEnabled(false).get("/v1/calls?updatedSince=%20"), 400, "updatedSince");
        problem(Api.when().get("/v1/calls?updatedSince=+200000-01-01T00:00:00Z"), 400, "updatedSince");
        problem(Api.given().urlEncodingEnabled(false).get("/v1/reports/sources?from=2026-11-01&to=2026-11-02&groupBy=%2C"), 400, "groupBy");
        problem(Api.when().get("/v1/calls?limit=abc"), 400, "limit");
        problem(Api.when().get("/v1/calls?repeat=maybe"), 400, "repeat");
        problem(Api.when().get("/v1/calls/abc"), 400, "id");
        problem(Api.when().delete("/v1/admin/keys/abc"), 400, "id");
        problem(Api.when().get("/v1/admin/pools/shop-paid/sizing?target=abc"), 400, "target");
        problem(Api.when().get("/v1/admin/pools/shop-paid/sizing?target=NaN"), 400, "target");
    }

    @Test
    void nullAndBrokenBodiesAre400() {
        problem(browser().body("null").post("/v1/sessions"), 400, "body");
        problem(browser().body("null").post("/v1/sessions/AAAAAAAAAAAAAAAAAAAAAA~shop-paid/ping"), 400, "body");
        problem(Api.given().contentType("application/json").body("{\"site\":\"demo\",\"url\":\"https://crm.example/h\",\"events\":[null]}")
                .post("/v1/webhooks"), 400, "events[0]");
        problem(Api.given().contentType("application/json").body(new byte[]{0, 0, 0, '{', '}'}).post("/v1/calls/events"), 400, null);
        Response broken = Api.given().contentType("application/json").body("{\"source\": \"x\",\n \"type\": }").post("/v1/calls/events");
        problem(broken, 400, null);
        broken.then().body("detail", containsString("line 2"));
    }

    @Test
    void eventsForAnUnknownCallAreRefusedAndMakeNoCall() {
        String id = "unknown-" + System.nanoTime();
        problem(Api.given().contentType("application/json")
                .body("{\"source\":\"orphans\",\"externalId\":\"" + id + "\",\"type\":\"answer\"}").post("/v1/calls/events"), 409, "externalId");
        problem(Api.given().contentType("application/json")
                .body("{\"source\":\"orphans\",\"externalId\":\"" + id + "\",\"type\":\"end\"}").post("/v1/calls/events"), 409, "externalId");
        long calls = db.preparedQuery("SELECT count(*) FROM calls WHERE linkedid = $1").execute(Tuple.of(id))
                .await().indefinitely().iterator().next().getLong(0);
        assertEquals(0, calls);
    }

    @Test
    void bodilessSuccessesAcceptWhatAGeneratedClientSends() {
        long id = Api.given().contentType("application/json").body("{\"name\":\"to revoke\",\"role\":\"read\"}")
                .post("/v1/admin/keys").then().statusCode(201).extract().jsonPath().getLong("key.id");
        String secret = Api.given().contentType("application/json").body("{\"name\":\"to revoke 2\",\"role\":\"read\"}")
                .post("/v1/admin/keys").then().statusCode(201).extract().path("secret");
        Api.given().accept("application/problem+json").delete("/v1/admin/keys/" + id).then().statusCode(204);
        int revokedId = Api.when().get("/v1/admin/keys").then().extract().jsonPath()
                .getInt("find { it.name == 'to revoke 2' }.id");
        Api.given().accept("application/problem+json").delete("/v1/admin/keys/" + revokedId).then().statusCode(204);
        Api.as(secret).get("/v1/calls").then().statusCode(401);
    }

    @Test
    void oversizedRequestsGetProblemBodies() {
        problem(browser().body("{\"siteKey\":\"shop\",\"title\":\"" + "x".repeat(64 * 1024) + "\"}").post("/v1/sessions"), 413, null);
        problem(Api.when().get("/v1/calls?keyword=" + "k".repeat(10_000)), 414, null);
        problem(Api.given().header("X-Big", "h".repeat(20_000)).get("/v1/calls"), 431, null);
        RawHttp.Answer badEscape = RawHttp.send("GET /v1/calls?source=%zz HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + Api.ADMIN_KEY);
        assertEquals(400, badEscape.status());
        assertTrue(badEscape.head().toLowerCase().contains("content-type: application/problem+json"), badEscape.head());
        assertTrue(badEscape.body().contains("\"field\":\"source\""), badEscape.body());
        RawHttp.Answer noHost = RawHttp.send("GET /v1/calls HTTP/1.1\r\nAuthorization: Bearer " + Api.ADMIN_KEY);
        assertEquals(400, noHost.status(), noHost.head() + "\n" + noHost.body());
        assertTrue(noHost.body().contains("Host"), noHost.body());
    }

    @Test
    void responsesCarrySecurityHeadersAndMetricsAnswerOnlyGet() {
        Response r = Api.when().get("/v1/calls");
        assertEquals("nosniff", r.header("X-Content-Type-Options"));
        assertEquals("no-referrer", r.header("Referrer-Policy"));
        Response page = RestAssured.when().get("/q/swagger-ui/");
        assertTrue(String.valueOf(page.header("Content-Security-Policy")).contains("frame-ancestors"),
                "UI pages must not be framed: " + page.headers());
        Api.when().post("/q/metrics").then().statusCode(405);
        Api.when().get("/q/metrics").then().statusCode(200);
    }

    @Test
    void aSiteLimitedAdminIsNotToldWhichOtherSitesPoolHasANumber() {
        String shopAdmin = Api.given().contentType("application/json").body("{\"name\":\"shop admin\",\"role\":\"admin\",\"site\":\"shop\"}")
                .post("/v1/admin/keys").then().statusCode(201).extract().path("secret");
        Response r = Api.as(shopAdmin).contentType("application/json").body("{\"number\":\"+74952000001\"}")
                .post("/v1/admin/pools/shop-rest/numbers");
        problem(r, 409, null);
        assertTrue(!r.asString().contains("demo"), "names another site's pool: " + r.asString());
    }

    @Test
    void snippetIsServedOnlyForConfiguredHosts() {
        RestAssured.given().header("Host", "evil.example").get("/s/demo.js").then().statusCode(400)
                .contentType("application/problem+json");
        RestAssured.given().get("/s/demo.js").then().statusCode(200);
    }

    @Test
    void aNormalVisitStillWorksAfterAllOfThat() {
        fixture.fresh("shop-paid");
        String id = browser().body(session("shop", Visits.newVisitorId(), "https://shop.example.com/?utm_source=after&utm_medium=cpc"))
                .post("/v1/sessions").then().statusCode(200).body("sessionId", notNullValue()).extract().path("sessionId");
        await().atMost(Duration.ofSeconds(15)).until(() -> storedSessions(id) == 1);
    }

    @Test
    void poisonEntriesInTheVisitLogAreParkedAndTheRestAreStored() {
        String good = "AAAAAAAAgood" + Long.toString(System.nanoTime(), 36);
        String unreadable = "AAAAAAAAnul0" + Long.toString(System.nanoTime(), 36);
        String refused = "AAAAAAAAtime" + Long.toString(System.nanoTime(), 36);
        var streams = redis.stream(String.class, String.class, String.class);
        String json = "{\"id\":\"%s\",\"site\":\"demo\",\"visitor\":\"v%s\",\"started\":%d,\"source\":\"%s\",\"bot\":false}";
        long now = System.currentTimeMillis();
        // one the writer cannot read (a NUL), one PostgreSQL refuses (a time out of its range), one good
        streams.xadd("ct:{site:demo}:visits", Map.of("j", json.formatted(unreadable, unreadable, now, "nul\\u0000"))).await().indefinitely();
        streams.xadd("ct:{site:demo}:visits", Map.of("j", json.formatted(refused, refused, -9_000_000_000_000_000L, "x"))).await().indefinitely();
        streams.xadd("ct:{site:demo}:visits", Map.of("j", json.formatted(good, good, now, "fine"))).await().indefinitely();
        await().atMost(Duration.ofSeconds(15)).until(() -> storedSessions(good) == 1);
        var parked = Api.when().get("/v1/admin/parked-writes").then().statusCode(200).extract().jsonPath();
        assertEquals("ct:{site:demo}:visits", parked.getString("find { it.payload.contains('" + unreadable + "') }.stream"));
        assertTrue(parked.getString("find { it.payload.contains('" + refused + "') }.error").contains("out of range"),
                () -> parked.prettify());
        assertEquals(0, storedSessions(unreadable) + storedSessions(refused));
        String metrics = Api.when().get("/q/metrics").then().extract().asString();
        assertTrue(metrics.contains("calltrack_writes_parked_total{log=\"visits\"}"), "parked entries are counted");
    }
}
