package io.calltrack.call;

import io.calltrack.config.ActiveConfig;
import io.calltrack.config.PoolSpec;
import io.calltrack.pool.NumberAllocator;
import io.calltrack.pool.PoolOdds;
import io.calltrack.pool.sizing.CallOdds;
import io.calltrack.support.PoolFixture;
import io.calltrack.support.TestClock;
import io.calltrack.support.Visits;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.calltrack.support.Api.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A call's probability is scored again after its ring with its pool's call model as it is then: what a pool's first
 * hours fitted (here, a stored probability made wrong on purpose) does not stay on the call for good.
 */
@QuarkusTest
class ProbabilityReviserTest {

    @Inject
    PoolFixture fixture;
    @Inject
    TestClock clock;
    @Inject
    Pool db;
    @Inject
    NumberAllocator allocator;
    @Inject
    PoolOdds poolOdds;
    @Inject
    ProbabilityReviser reviser;
    @Inject
    ActiveConfig config;

    private record Placed(String id, String firstVisit, String secondVisit, Instant firstAt, Instant secondAt, Instant ring) {
    }

    /** Two visits take the one number in turn, each leaving at once; a call rings 8 minutes into the second's hold. */
    private Placed twoHoldersAndACall() {
        var pool = fixture.fresh("lab-one");
        String first = Visits.start("lab", "https://lab.example/?utm_campaign=one&n=1").path("sessionId");
        Instant firstAt = clock.instant();
        allocator.release(pool, first).await().indefinitely();
        clock.advance(Duration.ofMinutes(2));
        var second = Visits.start("lab", "https://lab.example/?utm_campaign=one&n=2");
        Instant secondAt = clock.instant();
        allocator.release(pool, second.path("sessionId")).await().indefinitely();
        String id = UUID.randomUUID().toString();
        Instant ring = secondAt.plus(Duration.ofMinutes(8));
        given().contentType("application/json")
                .body("{\"source\":\"revise\",\"externalId\":\"" + id + "\",\"type\":\"start\",\"at\":\"" + ring + "\",\"did\":\""
                        + second.path("numbers[0].number") + "\",\"caller\":\"+79160000001\"}")
                .when().post("/v1/calls/events").then().statusCode(200);
        return new Placed(id, first, second.path("sessionId"), firstAt, secondAt, ring);
    }

    private Row call(String id) {
        return db.preparedQuery("SELECT * FROM calls WHERE pbx = 'ingest:revise' AND linkedid = $1")
                .execute(Tuple.of(id)).await().indefinitely().iterator().next();
    }

    @Test
    void aCallsProbabilityIsScoredAgainWithThePoolsModelThenUntilItIsFinal() {
        Placed p = twoHoldersAndACall();
        Row stored = call(p.id());
        assertEquals(p.secondVisit(), stored.getString("session_id"));
        assertEquals(p.ring().plus(Duration.ofHours(1)), stored.getOffsetDateTime("probability_revise_at").toInstant(),
                "first revised an hour after the ring");
        long callId = stored.getLong("id");
        assertEquals(Boolean.FALSE, given().when().get("/v1/calls/" + callId).then().statusCode(200)
                .extract().path("call.attribution.probabilityFinal"));

        // as if the ring-time model had been a first day's: a probability the holders do not bear out
        db.preparedQuery("UPDATE calls SET probability = 0.31, confidence = 'LOW' WHERE id = $1").execute(Tuple.of(callId))
                .await().indefinitely();
        var updatedBefore = call(p.id()).getOffsetDateTime("updated_at");

        CallOdds.Holder first = new CallOdds.Holder(p.firstAt(), p.firstAt());
        CallOdds.Holder second = new CallOdds.Holder(p.secondAt(), p.secondAt());
        // the model the revision uses: settled once any refit the lookups set off is in
        double[] want = new double[1];
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
            double now = poolOdds.of(labOne()).probability(List.of(first, second), second, p.ring());
            boolean same = Math.abs(now - want[0]) < 1e-9;
            want[0] = now;
            return same;
        });
        long hook = given().contentType("application/json")
                .body("{\"site\":\"lab\",\"url\":\"http://127.0.0.1:9/revised\",\"events\":[\"call.revised\"]}")
                .when().post("/v1/webhooks").then().statusCode(201).extract().jsonPath().getLong("webhook.id");
        try {
            revisedTwice(p, callId, hook, want[0], updatedBefore);
        } finally {
            given().when().delete("/v1/webhooks/" + hook).then().statusCode(204);
        }

        reviser.reviseDue(p.ring().plus(Duration.ofHours(80))).await().indefinitely();
        assertNull(call(p.id()).getOffsetDateTime("probability_revise_at"), "past the last revision: final");
        assertEquals(Boolean.TRUE, given().when().get("/v1/calls/" + callId).then().statusCode(200)
                .extract().path("call.attribution.probabilityFinal"));
    }

    /** The 1 h revision corrects the probability (and says so), the 6 h one finds nothing to change. */
    private void revisedTwice(Placed p, long callId, long hook, double want, java.time.OffsetDateTime updatedBefore) {
        int revised = reviser.reviseDue(p.ring().plus(Duration.ofHours(1))).await().indefinitely();
        assertEquals(1, revisedEvents(hook, callId), "moved from 0.31: call.revised, with the revision");
        assertTrue(revised >= 1, "the call was due");
        Row after = call(p.id());
        assertEquals(Attribution.rounded(want), after.getDouble("probability"), 1e-9, "the holders weighed with the model now");
        assertNotEquals(0.31, after.getDouble("probability"));
        assertEquals(Attribution.band(after.getDouble("probability")), after.getString("confidence"));
        assertTrue(after.getOffsetDateTime("updated_at").isAfter(updatedBefore), "a changed probability shows in an incremental pull");
        assertEquals(p.ring().plus(Duration.ofHours(6)), after.getOffsetDateTime("probability_revise_at").toInstant());
        assertEquals(p.secondVisit(), after.getString("session_id"), "the visit stays");

        reviser.reviseDue(p.ring().plus(Duration.ofHours(6))).await().indefinitely();
        Row unchanged = call(p.id());
        assertEquals(after.getOffsetDateTime("updated_at"), unchanged.getOffsetDateTime("updated_at"),
                "the same probability again is no change");
        assertEquals(p.ring().plus(Duration.ofHours(24)), unchanged.getOffsetDateTime("probability_revise_at").toInstant());
        assertEquals(1, revisedEvents(hook, callId), "no change, no event");
    }

    @Test
    void aCallWhoseLeaseIsGoneKeepsItsProbabilityForGood() {
        Placed p = twoHoldersAndACall();
        Row before = call(p.id());
        double said = before.getDouble("probability");
        db.preparedQuery("DELETE FROM leases WHERE session_id = $1").execute(Tuple.of(p.secondVisit())).await().indefinitely();
        reviser.reviseDue(p.ring().plus(Duration.ofHours(1))).await().indefinitely();
        Row after = call(p.id());
        assertEquals(said, after.getDouble("probability"), 1e-12);
        assertNull(after.getOffsetDateTime("probability_revise_at"), "nothing left to revise it with");
        assertEquals(before.getOffsetDateTime("updated_at"), after.getOffsetDateTime("updated_at"), "unchanged");
    }

    /** The call.revised deliveries queued for the call, once the change feed holds none of its changes (a poll queues them). */
    private long revisedEvents(long webhook, long callId) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT count(*) AS n FROM call_changes WHERE call_id = $1",
                Tuple.of(callId)) == 0);
        return count("SELECT count(*) AS n FROM webhook_deliveries WHERE webhook_id = $1 AND call_id = $2 AND event = 'call.revised'",
                Tuple.of(webhook, callId));
    }

    private long count(String sql, Tuple args) {
        return db.preparedQuery(sql).execute(args).await().indefinitely().iterator().next().getLong("n");
    }

    private PoolSpec labOne() {
        return config.pool("lab-one").orElseThrow();
    }
}
