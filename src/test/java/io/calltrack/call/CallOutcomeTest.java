package io.calltrack.call;

import io.calltrack.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import static io.calltrack.support.Api.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** PUT /v1/calls/{id}/outcome: stored, shown, idempotent, validated, limited to the key's site. */
@QuarkusTest
class CallOutcomeTest {

    @Inject
    Pool db;

    private long call(String site) {
        return db.preparedQuery("""
                INSERT INTO calls (pbx, linkedid, did, caller, started_at, disposition, site_key, updated_at)
                VALUES ('outcomes', $1, '+74951110001', '+79160000002', $2, 'ANSWERED', $3, now() - interval '1 hour')
                RETURNING id""")
                .execute(Tuple.of("o-" + System.nanoTime(), OffsetDateTime.of(2026, 11, 4, 10, 0, 0, 0, ZoneOffset.UTC), site))
                .await().indefinitely().iterator().next().getLong("id");
    }

    private static String put(long id, String body, int status) {
        return given().contentType("application/json").body(body).when().put("/v1/calls/" + id + "/outcome")
                .then().statusCode(status).extract().asString();
    }

    @Test
    void anOutcomeIsStoredOnceHoweverOftenItIsSent() {
        long id = call("demo");
        String before = given().when().get("/v1/calls/" + id).then().extract().path("call.updatedAt");
        given().contentType("application/json").body("{\"status\":\"deal\",\"value\":9000,\"currency\":\"rub\",\"dealId\":\"D-1\"}")
                .when().put("/v1/calls/" + id + "/outcome").then().statusCode(200)
                .body("outcome.status", equalTo("DEAL")).body("outcome.value", equalTo(9000.0f))
                .body("outcome.currency", equalTo("RUB")).body("outcome.dealId", equalTo("D-1"));
        String first = given().when().get("/v1/calls/" + id).then().body("call.outcome.status", equalTo("DEAL"))
                .extract().path("call.updatedAt");
        assertNotEquals(before, first, "an outcome is a change an incremental sync must see");
        put(id, "{\"status\":\"DEAL\",\"value\":9000.00,\"currency\":\"RUB\",\"dealId\":\"D-1\"}", 200);
        String again = given().when().get("/v1/calls/" + id).then().extract().path("call.updatedAt");
        assertEquals(first, again, "the same outcome again changes nothing");
        given().contentType("application/json").body("{\"status\":\"lost\"}").when().put("/v1/calls/" + id + "/outcome")
                .then().statusCode(200).body("outcome.status", equalTo("LOST")).body("outcome.value", equalTo(null));
    }

    @Test
    void aBadOutcomeNamesTheField() {
        long id = call("demo");
        String[][] bad = {{"{\"status\":\"won\"}", "status"}, {"{}", "status"},
                {"{\"status\":\"deal\",\"value\":-1,\"currency\":\"RUB\"}", "value"},
                {"{\"status\":\"deal\",\"value\":1.001,\"currency\":\"RUB\"}", "value"},
                {"{\"status\":\"deal\",\"value\":10}", "currency"},
                {"{\"status\":\"deal\",\"value\":10,\"currency\":\"XYZ1\"}", "currency"},
                {"{\"status\":\"deal\",\"dealId\":\"" + "x".repeat(129) + "\"}", "dealId"},
                {"{\"status\":\"deal\",\"value\":\"lots\"}", "value"}};
        for (String[] b : bad) {
            given().contentType("application/json").body(b[0]).when().put("/v1/calls/" + id + "/outcome").then()
                    .statusCode(400).contentType("application/problem+json").body("field", equalTo(b[1]));
        }
        put(999_999_999L, "{\"status\":\"lead\"}", 404);
    }

    @Test
    void onlyWriteKeysOfTheCallsSiteSetOutcomes() {
        long shop = call("shop");
        String demoWriter = Api.given().contentType("application/json").body("{\"name\":\"demo crm\",\"role\":\"write\",\"site\":\"demo\"}")
                .when().post("/v1/admin/keys").then().statusCode(201).extract().path("secret");
        String reader = Api.given().contentType("application/json").body("{\"name\":\"bi\",\"role\":\"read\"}")
                .when().post("/v1/admin/keys").then().statusCode(201).extract().path("secret");
        Api.as(demoWriter).contentType("application/json").body("{\"status\":\"lead\"}").when()
                .put("/v1/calls/" + shop + "/outcome").then().statusCode(404);
        Api.as(reader).contentType("application/json").body("{\"status\":\"lead\"}").when()
                .put("/v1/calls/" + shop + "/outcome").then().statusCode(403);
        given().when().get("/v1/calls/" + shop).then().body("call.outcome", equalTo(null));
    }
}
