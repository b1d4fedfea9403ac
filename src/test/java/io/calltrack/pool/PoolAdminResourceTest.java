package io.calltrack.pool;

import io.calltrack.config.PoolSpec;
import io.calltrack.support.PoolFixture;
import io.calltrack.support.TestClock;
import io.calltrack.pool.NumberAllocator.LeaseRequest;
import io.calltrack.pool.sizing.DelayDistribution;
import io.calltrack.pool.sizing.DelayFit;
import io.calltrack.pool.sizing.FittedDelays;
import io.calltrack.pool.sizing.PoolSizing;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.restassured.RestAssured;
import io.restassured.config.JsonConfig;
import io.restassured.path.json.config.JsonPathConfig.NumberReturnType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.calltrack.support.Api.given;
import static io.calltrack.support.Api.when;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

@QuarkusTest
class PoolAdminResourceTest {

    @Inject
    PoolFixture fixture;
    @Inject
    NumberAllocator allocator;
    @Inject
    Pool db;
    @Inject
    TestClock clock;
    @Inject
    PoolOdds odds;

    @Test
    void poolListShowsLiveStateAndSizing() {
        PoolSpec pool = fixture.fresh("lab-lru");
        db.query("DELETE FROM calls WHERE pool_id = 'lab-lru'").execute().await().indefinitely();
        // a fit an earlier test left (from the calls just deleted) would still be fresh for refit-every
        odds.forget("lab-lru");
        allocator.allocate(pool, LeaseRequest.of(UUID.randomUUID().toString(), "v1")).await().indefinitely();

        when().get("/v1/admin/pools").then()
                .statusCode(200)
                .body("find { it.id == 'lab-lru' }.size", equalTo(3))
                .body("find { it.id == 'lab-lru' }.leasedNumbers", equalTo(1))
                .body("find { it.id == 'lab-lru' }.free", equalTo(2))
                .body("find { it.id == 'lab-lru' }.sizingBasis", equalTo("configured"))
                .body("find { it.id == 'lab-lru' }.peakLeasedByHour.size()", equalTo(24))
                .body("find { it.id == 'demo-organic' }.kind", equalTo("static"));
    }

    @Test
    void numbersShowHolderAndStateChangesStopNewLeases() {
        PoolSpec pool = fixture.fresh("lab-lru");
        String session = UUID.randomUUID().toString();
        String held = allocator.allocate(pool, LeaseRequest.of(session, "v1")).await().indefinitely().number();

        when().get("/v1/admin/pools/lab-lru/numbers").then()
                .statusCode(200)
                .body("find { it.number == '" + held + "' }.live", equalTo("LEASED"))
                .body("find { it.number == '" + held + "' }.holders", contains(session));

        when().post("/v1/admin/pools/lab-lru/numbers/+12125550112/quarantine").then().statusCode(204);
        when().post("/v1/admin/pools/lab-lru/numbers/+12125550113/drain").then().statusCode(204);
        when().get("/v1/admin/pools/lab-lru").then().body("free", equalTo(held.equals("+12125550111") ? 0 : 1));
        when().get("/v1/admin/pools/lab-lru/numbers").then()
                .body("find { it.number == '+12125550112' }.state", equalTo("QUARANTINED"))
                .body("find { it.number == '+12125550113' }.state", equalTo("DRAINING"));

        when().post("/v1/admin/pools/lab-lru/numbers/+12125550112/activate").then().statusCode(204);
        when().post("/v1/admin/pools/lab-lru/numbers/+12125550113/activate").then().statusCode(204);
        when().get("/v1/admin/pools/lab-lru").then().body("free", equalTo(2));
    }

    @Test
    void addedNumberIsServedAndConflictsAreRefused() {
        PoolSpec pool = fixture.fresh("lab-one");
        given().contentType("application/json").body("{\"number\": \"(212) 555-0199\"}")
                .when().post("/v1/admin/pools/lab-one/numbers").then().statusCode(201)
                .header("Location", org.hamcrest.Matchers.endsWith("/v1/admin/pools/lab-one/numbers/%2B12125550199"));
        when().get("/v1/admin/pools/lab-one/numbers").then()
                .body("number", hasItem("+12125550199"))
                .body("find { it.number == '+12125550199' }.origin", equalTo("API"));

        given().contentType("application/json").body("{\"number\": \"(212) 555-0111\"}")
                .when().post("/v1/admin/pools/lab-one/numbers").then()
                .statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("lab-lru"));
        given().contentType("application/json").body("{\"number\": \"12\"}")
                .when().post("/v1/admin/pools/lab-one/numbers").then()
                .statusCode(400).body("field", equalTo("number"));
        given().contentType("application/json").body("{\"number\": ")
                .when().post("/v1/admin/pools/lab-one/numbers").then()
                .statusCode(400).contentType("application/problem+json");

        db.query("DELETE FROM pool_numbers WHERE number = '+12125550199'").execute().await().indefinitely();
        fixture.fresh(pool.id());
    }

    @Test
    void unknownPoolIs404AndStaticPoolSizingIs400() {
        when().get("/v1/admin/pools/nope").then().statusCode(404).contentType("application/problem+json");
        when().get("/v1/admin/pools/demo-organic/sizing").then().statusCode(400).body("field", equalTo("poolId"));
        when().get("/v1/admin/pools/lab-lru/sizing?window=forever").then().statusCode(400).body("field", equalTo("window"));
    }

    /**
     * Leases and calls written as rows in PostgreSQL give the answer the sizing computation gives on the same
     * visits and calls: every call on the pool's numbers counts, whoever it was attributed to.
     */
    @Test
    void sizingReadsLeasesAndCallsFromPostgres() {
        fixture.fresh("lab-lru");
        db.query("DELETE FROM calls WHERE pool_id = 'lab-lru'").execute().await().indefinitely();
        Instant t0 = clock.instant().minus(Duration.ofHours(10)); // the service reads the (moved) test clock
        List<PoolSizing.Visit> visits = List.of(lease("s1", "+12125550111", t0, 0, 1), lease("s2", "+12125550111", t0, 3, 4),
                lease("s3", "+12125550112", t0, 5, 6));
        double[] lateHours = {1, 1, 1, 1, 3, 3, 3, 5, 5, 5};
        List<DelayFit.CallOn> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            calls.add(call("during-" + i, t0.plus(Duration.ofMinutes(30))));
            calls.add(call("late-" + i, t0.plus(Duration.ofHours(1)).plusMillis(Math.round(lateHours[i] * 3_600_000))));
        }
        Instant to = clock.instant(), from = to.minus(Duration.ofHours(10));
        DelayDistribution defaults = DelayDistribution.configured(config.get().sizing().callDelayQuantiles());
        FittedDelays fit = DelayFit.fit(visits, calls, from, to, 30_000, defaults, config.get().sizing().callsAfterVisitShare());
        PoolSizing.Report expected = PoolSizing.compute(new PoolSizing.Inputs(3, Duration.ofMinutes(10), Duration.ofHours(24),
                from, to, visits, fit, fit.afterShare(), 0.99));

        try {
            given().config(RestAssured.config().jsonConfig(JsonConfig.jsonConfig().numberReturnType(NumberReturnType.DOUBLE)))
                    .when().get("/v1/admin/pools/lab-lru/sizing?window=PT10H").then()
                    .statusCode(200)
                    .body("recommendedSize", equalTo(expected.recommendedSize()))
                    .body("expectedAccuracy", closeTo(expected.expectedAccuracy(), 1e-4))
                    .body("inputs.delayBasis", equalTo("measured"))
                    .body("inputs.callsMeasured", equalTo(20))
                    .body("inputs.callsAfterVisitShare", closeTo(fit.afterShare(), 1e-4))
                    .body("inputs.delayMeasuredUpTo", equalTo(fit.measuredUpTo().toString()))
                    .body("inputs.delayAssumedShare", closeTo(fit.assumedShare(), 1e-4))
                    .body("options.find { it.label == 'current' }.size", equalTo(3))
                    .body("options.find { it.label == 'current' }.expectedAccuracy", closeTo(expected.expectedAccuracy(), 1e-4));
        } finally {
            db.query("DELETE FROM calls WHERE pool_id = 'lab-lru'").execute().await().indefinitely();
        }
    }

    @Inject
    io.calltrack.config.ActiveConfig config;

    private PoolSizing.Visit lease(String session, String number, Instant t0, double fromHour, double toHour) {
        db.preparedQuery("""
                INSERT INTO leases (pool_id, number, session_id, visitor_id, started_at, last_seen_at, ended_at)
                VALUES ('lab-lru', $1, $2, $2, $3, $4, $5)""")
                .execute(Tuple.of(number, session, at(t0, fromHour), at(t0, toHour), at(t0, toHour + 1.0 / 6)))
                .await().indefinitely();
        return new PoolSizing.Visit(number, at(t0, fromHour).toInstant(), at(t0, toHour).toInstant(), at(t0, toHour + 1.0 / 6).toInstant());
    }

    private DelayFit.CallOn call(String linkedid, Instant at) {
        db.preparedQuery("""
                INSERT INTO calls (pbx, linkedid, did, started_at, pool_id, session_id, attribution_method)
                VALUES ('test', $1, '+12125550111', $2, 'lab-lru', 's1', 'LIVE_LEASE')""")
                .execute(Tuple.of(linkedid, at.atOffset(ZoneOffset.UTC))).await().indefinitely();
        return new DelayFit.CallOn("+12125550111", at);
    }

    private static OffsetDateTime at(Instant t0, double hours) {
        return t0.plusMillis(Math.round(hours * 3_600_000)).atOffset(ZoneOffset.UTC);
    }
}
