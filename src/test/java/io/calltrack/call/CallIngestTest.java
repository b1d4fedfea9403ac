package io.calltrack.call;

import io.calltrack.support.PoolFixture;
import io.calltrack.support.TestClock;
import io.calltrack.support.Visits;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static io.calltrack.support.Api.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** From a page view to an attributed call: the session API leases a number, a PBX reports a call to it. */
@QuarkusTest
class CallIngestTest {

    @Inject
    PoolFixture fixture;
    @Inject
    TestClock clock;
    @Inject
    Pool db;

    private static void event(String id, String type, Instant at, String did, String caller, String extra) {
        given().contentType("application/json")
                .body("{\"source\":\"test-pbx\",\"externalId\":\"" + id + "\",\"type\":\"" + type + "\",\"at\":\"" + at + "\""
                        + (did == null ? "" : ",\"did\":\"" + did + "\"") + (caller == null ? "" : ",\"caller\":\"" + caller + "\"")
                        + extra + "}")
                .when().post("/v1/calls/events").then().statusCode(200);
    }

    private Row call(String id) {
        return db.preparedQuery("SELECT * FROM calls WHERE pbx = 'ingest:test-pbx' AND linkedid = $1")
                .execute(Tuple.of(id)).await().indefinitely().iterator().next();
    }

    @Test
    void callToAVisitsNumberIsLoggedWithTheVisitsKeyword() {
        fixture.fresh("demo-visits");
        String number = Visits.start("demo", "https://demo.example/?utm_source=google&utm_medium=cpc&utm_term=blocked+drain&gclid=GX")
                .path("numbers[0].number");
        String id = UUID.randomUUID().toString();
        Instant ring = clock.instant().plusSeconds(10);
        event(id, "start", ring, number.substring(1), "+79161234567", ",\"callerName\":\"Ivan\"");
        event(id, "answer", ring.plusSeconds(4), null, null, ",\"answeredBy\":\"101\"");
        event(id, "end", ring.plusSeconds(64), null, null, "");

        Row call = call(id);
        assertEquals(number, call.getString("did"), "normalised to E.164");
        assertEquals("LIVE_LEASE", call.getString("attribution_method"));
        assertEquals("HIGH", call.getString("confidence"));
        assertEquals("blocked drain", call.getString("keyword"));
        assertEquals("GX", call.getString("gclid"));
        assertEquals("ANSWERED", call.getString("disposition"));
        assertEquals("101", call.getString("extension"));
        assertEquals(4, call.getInteger("ring_seconds"));
        assertEquals(60, call.getInteger("talk_seconds"));

        var updated = call.getOffsetDateTime("updated_at");
        event(id, "end", ring.plusSeconds(99), null, null, "");
        event(id, "start", ring, number, null, "");
        assertEquals(updated, call(id).getOffsetDateTime("updated_at"), "replays after the hang-up change nothing");
        assertEquals(60, call(id).getInteger("talk_seconds"));
    }

    @Test
    void unknownNumberIsLoggedUnattributedAndRepeatCallersAreLinked() {
        String caller = "+7916" + (1_000_000 + (int) (Math.random() * 8_999_999));
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        Instant t = clock.instant();
        event(first, "start", t, "+15550000000", caller, "");
        event(first, "end", t.plusSeconds(20), null, null, ",\"outcome\":\"busy\"");
        event(second, "start", t.plusSeconds(600), "+15550000000", caller, "");

        Row a = call(first);
        assertEquals("UNATTRIBUTED", a.getString("attribution_method"));
        assertEquals("BUSY", a.getString("disposition"));
        assertFalse(a.getBoolean("repeat_caller"));
        Row b = call(second);
        assertTrue(b.getBoolean("repeat_caller"));
        assertEquals(a.getLong("id"), b.getLong("first_call_id"));
        assertEquals("IN_PROGRESS", b.getString("disposition"));
    }

    @Test
    void aSiteWriteKeyPostsCallsToItsOwnNumbersOnly() {
        String demoWriter = given().contentType("application/json").body("{\"name\":\"demo pbx\",\"role\":\"WRITE\",\"site\":\"demo\"}")
                .when().post("/v1/admin/keys").then().statusCode(201).header("Location", org.hamcrest.Matchers.containsString("/v1/admin/keys/"))
                .extract().path("secret");
        String own = UUID.randomUUID().toString();
        io.calltrack.support.Api.as(demoWriter).contentType("application/json")
                .body("{\"source\":\"crm\",\"externalId\":\"" + own + "\",\"type\":\"start\",\"did\":\"+74951110007\"}")
                .when().post("/v1/calls/events").then().statusCode(200);
        io.calltrack.support.Api.as(demoWriter).contentType("application/json")
                .body("{\"source\":\"crm\",\"externalId\":\"" + own + "\",\"type\":\"end\"}")
                .when().post("/v1/calls/events").then().statusCode(200);
        // a number of another site's pool
        io.calltrack.support.Api.as(demoWriter).contentType("application/json")
                .body("{\"source\":\"crm\",\"externalId\":\"" + UUID.randomUUID() + "\",\"type\":\"start\",\"did\":\"+442079460201\"}")
                .when().post("/v1/calls/events").then().statusCode(404).body("field", equalTo("did"));
        // another site's call, even under the same source and id
        String theirs = UUID.randomUUID().toString();
        given().contentType("application/json")
                .body("{\"source\":\"crm\",\"externalId\":\"" + theirs + "\",\"type\":\"start\",\"did\":\"+442079460202\"}")
                .when().post("/v1/calls/events").then().statusCode(200);
        io.calltrack.support.Api.as(demoWriter).contentType("application/json")
                .body("{\"source\":\"crm\",\"externalId\":\"" + theirs + "\",\"type\":\"end\"}")
                .when().post("/v1/calls/events").then().statusCode(404).body("field", equalTo("externalId"));
    }

    @Test
    void badEventsGetAProblemNamingTheField() {
        given().contentType("application/json").body("{\"source\":\"x\",\"externalId\":\"1\",\"type\":\"ring\"}")
                .when().post("/v1/calls/events").then().statusCode(400).body("field", equalTo("type"));
        given().contentType("application/json").body("{\"source\":\"x\",\"externalId\":\"1\",\"type\":\"start\",\"did\":\"12\"}")
                .when().post("/v1/calls/events").then().statusCode(400).body("field", equalTo("did"));
        given().contentType("application/json").body("{\"source\":\"x\",\"externalId\":\"1\",\"type\":\"start\",\"at\":\"yesterday\"}")
                .when().post("/v1/calls/events").then().statusCode(400).body("field", equalTo("at"));
    }
}
