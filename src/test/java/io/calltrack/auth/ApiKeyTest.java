package io.calltrack.auth;

import io.calltrack.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** API keys: 401 without one, roles, site-limited keys that cannot see other sites, revocation, hashed storage. */
@QuarkusTest
class ApiKeyTest {

    @Inject
    Pool db;

    private static String create(String key, String body) {
        return Api.as(key).contentType("application/json").body(body).when().post("/v1/admin/keys").then()
                .statusCode(201).body("secret", startsWith("ct_")).extract().path("secret");
    }

    private long call(String site, String linkedid) {
        return db.preparedQuery("""
                INSERT INTO calls (pbx, linkedid, did, caller, started_at, disposition, site_key)
                VALUES ('keys', $1, '+74951110001', '+79160000001', $2, 'ANSWERED', $3) RETURNING id""")
                .execute(Tuple.of(linkedid, OffsetDateTime.of(2026, 11, 3, 10, 0, 0, 0, ZoneOffset.UTC), site))
                .await().indefinitely().iterator().next().getLong("id");
    }

    @Test
    void everyApiRouteButTheVisitorsOnesNeedsAKey() {
        for (String path : List.of("/v1/calls", "/v1/calls/1", "/v1/admin/pools", "/v1/admin/config", "/v1/admin/keys")) {
            RestAssured.when().get(path).then().statusCode(401).contentType("application/problem+json")
                    .header("WWW-Authenticate", startsWith("Bearer")).body("status", equalTo(401));
            Api.as("ct_no_such_key_000000000000").when().get(path).then().statusCode(401)
                    .body("detail", containsString("unknown or revoked"));
        }
        RestAssured.given().contentType("application/json").body("{}").when().post("/v1/calls/events").then().statusCode(401);
        RestAssured.when().get("/s/no-such-site.js").then().statusCode(404).contentType(containsString("javascript"));
        RestAssured.when().get("/q/health/ready").then().statusCode(200);
        RestAssured.when().get("/q/openapi").then().statusCode(200);
    }

    @Test
    void metricsNeedAKeyForEverySite() {
        RestAssured.when().get("/q/metrics").then().statusCode(401).contentType("application/problem+json");
        String reader = create(Api.ADMIN_KEY, "{\"name\":\"prometheus\",\"role\":\"read\"}");
        Api.as(reader).when().get("/q/metrics").then().statusCode(200).body(containsString("jvm_info"));
        String siteReader = create(Api.ADMIN_KEY, "{\"name\":\"demo bi\",\"role\":\"read\",\"site\":\"demo\"}");
        Api.as(siteReader).when().get("/q/metrics").then().statusCode(403);
    }

    @Test
    void rolesLimitWhatAKeyDoes() {
        String read = create(Api.ADMIN_KEY, "{\"name\":\"bi\",\"role\":\"read\"}");
        String write = create(Api.ADMIN_KEY, "{\"name\":\"pbx bridge\",\"role\":\"WRITE\"}");
        Api.as(read).when().get("/v1/calls").then().statusCode(200);
        Api.as(read).contentType("application/json").body("{}").when().post("/v1/calls/events").then().statusCode(403)
                .contentType("application/problem+json").body("detail", containsString("needs a write key; this key is read"));
        Api.as(read).when().get("/v1/admin/pools").then().statusCode(403);
        Api.as(write).contentType("application/json").body("{}").when().post("/v1/calls/events").then().statusCode(400);
        Api.as(write).when().get("/v1/calls").then().statusCode(200);
        Api.as(write).when().get("/v1/admin/keys").then().statusCode(403);
    }

    @Test
    void aSiteKeySeesOnlyItsSite() {
        long demo = call("demo", "keys-demo-" + System.nanoTime());
        long shop = call("shop", "keys-shop-" + System.nanoTime());
        String demoRead = create(Api.ADMIN_KEY, "{\"name\":\"demo crm\",\"role\":\"read\",\"site\":\"demo\"}");
        Api.as(demoRead).when().get("/v1/calls/" + demo).then().statusCode(200);
        // another tenant's call does not exist for this key: 404, not 403
        Api.as(demoRead).when().get("/v1/calls/" + shop).then().statusCode(404).contentType("application/problem+json");
        Api.as(demoRead).queryParam("pbx", "keys").queryParam("limit", 1000).when().get("/v1/calls").then().statusCode(200)
                .body("items.attribution.site", everyItem(equalTo("demo"))).body("items.id", hasItem((int) demo))
                .body("items.id", not(hasItem((int) shop)));
        // naming another site is one rule everywhere: 404, as for its spend and reports
        Api.as(demoRead).queryParam("site", "shop").when().get("/v1/calls").then().statusCode(404).body("field", equalTo("site"));
        Api.as(demoRead).queryParam("site", "shop").when().get("/v1/calls.csv").then().statusCode(404);
        Api.as(demoRead).queryParam("site", "demo").when().get("/v1/calls").then().statusCode(200);
        Api.when().get("/v1/calls/" + shop).then().statusCode(200);
    }

    @Test
    void aSiteAdminManagesOnlyItsSite() {
        String shopAdmin = create(Api.ADMIN_KEY, "{\"name\":\"shop admin\",\"role\":\"admin\",\"site\":\"shop\"}");
        Api.as(shopAdmin).when().get("/v1/admin/pools").then().statusCode(200)
                .body("id", hasItem("shop-paid")).body("id", not(hasItem("demo-visits")));
        Api.as(shopAdmin).when().get("/v1/admin/pools/demo-visits").then().statusCode(404);
        Api.as(shopAdmin).when().get("/v1/admin/config").then().statusCode(403);
        Api.as(shopAdmin).contentType("application/json").body("{\"name\":\"x\",\"role\":\"read\",\"site\":\"demo\"}")
                .when().post("/v1/admin/keys").then().statusCode(404);
        String shopRead = create(shopAdmin, "{\"name\":\"shop bi\",\"role\":\"read\"}");
        Api.when().get("/v1/admin/keys").then().statusCode(200).body("find { it.prefix == '" + shopRead.substring(0, 8) + "' }.site",
                equalTo("shop"));
        Api.as(shopAdmin).when().get("/v1/admin/keys").then().statusCode(200).body("site", everyItem(equalTo("shop")));
    }

    @Test
    void badKeyRequestsNameTheField() {
        Api.given().contentType("application/json").body("{\"role\":\"read\"}").when().post("/v1/admin/keys").then()
                .statusCode(400).body("field", equalTo("name"));
        Api.given().contentType("application/json").body("{\"name\":\"x\",\"role\":\"owner\"}").when().post("/v1/admin/keys").then()
                .statusCode(400).body("field", equalTo("role"));
        Api.given().contentType("application/json").body("{\"name\":\"x\",\"role\":\"read\",\"site\":\"nope\"}")
                .when().post("/v1/admin/keys").then().statusCode(400).body("field", equalTo("site"));
        Api.when().delete("/v1/admin/keys/999999").then().statusCode(404);
    }

    @Test
    void aRevokedKeyStopsAtOnceAndNoSecretIsStored() {
        String key = create(Api.ADMIN_KEY, "{\"name\":\"short-lived\",\"role\":\"read\"}");
        String unused = create(Api.ADMIN_KEY, "{\"name\":\"never used\",\"role\":\"read\"}");
        Api.as(key).when().get("/v1/calls").then().statusCode(200);
        Api.when().get("/v1/admin/keys").then()
                .body("find { it.prefix == '" + key.substring(0, 8) + "' }.lastUsedAt", notNullValue())
                .body("find { it.prefix == '" + unused.substring(0, 8) + "' }.lastUsedAt", nullValue());
        int id = Api.when().get("/v1/admin/keys").then().extract().path("find { it.prefix == '" + key.substring(0, 8) + "' }.id");
        Api.when().delete("/v1/admin/keys/" + id).then().statusCode(204);
        Api.when().delete("/v1/admin/keys/" + id).then().statusCode(204);
        Api.as(key).when().get("/v1/calls").then().statusCode(401);
        long leaked = db.preparedQuery("SELECT count(*) FROM api_keys WHERE position($1 in api_keys::text) > 0")
                .execute(Tuple.of(key.substring(8))).await().indefinitely().iterator().next().getLong(0);
        assertEquals(0, leaked, "the secret must not be stored");
    }
}
