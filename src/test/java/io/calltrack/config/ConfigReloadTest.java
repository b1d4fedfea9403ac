package io.calltrack.config;

import io.calltrack.support.TestPoolFile;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.calltrack.support.Api.given;
import static io.calltrack.support.Api.when;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class ConfigReloadTest {

    @jakarta.inject.Inject
    io.calltrack.support.PoolFixture fixture;

    @jakarta.inject.Inject
    io.vertx.mutiny.sqlclient.Pool db;

    @AfterEach
    void restoreFile() {
        TestPoolFile.restore();
        when().post("/v1/admin/config/reload").then().statusCode(200);
        // the number one test adds over the API: gone again, so shop-rest keeps its three
        db.query("DELETE FROM pool_numbers WHERE number = '+442079460399'").execute().await().indefinitely();
    }

    @Test
    void validChangeIsAppliedAndTheNewNumberJoinsThePool() {
        TestPoolFile.write(TestPoolFile.read().replace("020 7946 0300..020 7946 0302", "020 7946 0300..020 7946 0303"));

        when().post("/v1/admin/config/reload").then()
                .statusCode(200)
                .body("sites.find { it.key == 'shop' }.pools.find { it.id == 'shop-rest' }.numbers", equalTo(4));
        when().get("/v1/admin/config").then()
                .body("sites.find { it.key == 'shop' }.pools.find { it.id == 'shop-rest' }.numbers", equalTo(4));
    }

    @Test
    void callsToDrainedAndAddedNumbersFindTheirPool() {
        fixture.fresh("shop-rest");
        var visit = io.calltrack.support.Visits.start("shop", "https://shop.example.com/");
        String number = visit.path("numbers[0].number");
        String session = visit.path("sessionId");
        assertTrue(session.endsWith("~shop-rest"), session);
        // the file drops every number the pool had: the visit's lease runs on, drained
        TestPoolFile.write(TestPoolFile.read().replace("020 7946 0300..020 7946 0302", "020 7946 0303..020 7946 0305"));
        when().post("/v1/admin/config/reload").then().statusCode(200);
        long drained = callTo(number);
        when().get("/v1/calls/" + drained).then().statusCode(200)
                .body("call.attribution.method", equalTo("LIVE_LEASE"))
                .body("call.attribution.sessionId", equalTo(session));
        // a number added over the API, which no file lists
        given().contentType("application/json").body("{\"number\": \"020 7946 0399\"}")
                .when().post("/v1/admin/pools/shop-rest/numbers").then().statusCode(201);
        long added = callTo("+442079460399");
        when().get("/v1/calls/" + added).then().statusCode(200)
                .body("call.attribution.pool", equalTo("shop-rest"))
                .body("call.attribution.site", equalTo("shop"));
    }

    private static long callTo(String did) {
        return given().contentType("application/json").body("{\"source\":\"reload-test\",\"externalId\":\""
                        + java.util.UUID.randomUUID() + "\",\"type\":\"start\",\"did\":\"" + did + "\"}")
                .when().post("/v1/calls/events").then().statusCode(200).extract().jsonPath().getLong("callId");
    }

    @Test
    void invalidFileAnswers422WithEveryErrorAndKeepsTheRunningConfig() {
        TestPoolFile.write(TestPoolFile.read()
                .replace("kind: dynamic\n        match: { medium: [cpc, ppc, paid] }", "kind: dynamite\n        match: { medium: [cpc, ppc, paid] }")
                .replace("020 7946 0300..020 7946 0302", "020 7946 0300..020 7946 0303\", \"not a number"));

        given().when().post("/v1/admin/config/reload").then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("title", equalTo("Invalid number-pool.yaml"))
                .body("errors.path", hasItem("sites[1].pools[1].kind"))
                .body("errors.path", hasItem("sites[1].pools[2].numbers[1]"))
                .body("errors.line", hasItems(30, 37))
                .body("detail", containsString("running configuration is unchanged"));

        when().get("/v1/admin/config").then()
                .statusCode(200)
                .body("sites.find { it.key == 'shop' }.pools.find { it.id == 'shop-paid' }.kind", equalTo("dynamic"))
                .body("sites.find { it.key == 'shop' }.pools.find { it.id == 'shop-rest' }.numbers", equalTo(3));
    }

    @Test
    void aChangedFileIsCheckedByLineWithoutTouchingTheRunningConfig() {
        String broken = TestPoolFile.read()
                .replace("kind: dynamic\n        match: { medium: [cpc, ppc, paid] }", "kind: dynamite\n        match: { medium: [cpc, ppc, paid] }");
        given().contentType("application/yaml").body(yaml(broken)).when().post("/v1/admin/config/validate").then()
                .statusCode(422).contentType("application/problem+json")
                .body("errors.path", hasItem("sites[1].pools[1].kind")).body("errors.line", hasItems(30));
        given().contentType("application/yaml").body(yaml(TestPoolFile.read().replace("020 7946 0300..020 7946 0302", "020 7946 0300..020 7946 0304")))
                .when().post("/v1/admin/config/validate").then().statusCode(200)
                .body("sites.find { it.key == 'shop' }.pools.find { it.id == 'shop-rest' }.numbers", equalTo(5));
        when().get("/v1/admin/config").then().statusCode(200)
                .body("sites.find { it.key == 'shop' }.pools.find { it.id == 'shop-paid' }.kind", equalTo("dynamic"))
                .body("sites.find { it.key == 'shop' }.pools.find { it.id == 'shop-rest' }.numbers", equalTo(3));
        given().contentType("application/yaml").body(yaml("sites: [\u0000")).when().post("/v1/admin/config/validate").then().statusCode(422);
        given().contentType("application/yaml").body(yaml("")).when().post("/v1/admin/config/validate").then().statusCode(400);
    }

    private static byte[] yaml(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
