package io.calltrack.auth;

import io.calltrack.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.Cookie;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console's sign-in: a key exchanged for an HttpOnly SameSite=Strict cookie that the API takes as the key,
 * with the same role and site limits, a CSRF token on every change, and an end at sign-out or revocation.
 */
@QuarkusTest
class ConsoleSessionTest {

    @Inject
    Pool db;

    private static String key(String name, String role, String site) {
        return Api.given().contentType("application/json")
                .body("{\"name\":\"" + name + "\",\"role\":\"" + role + "\"" + (site == null ? "" : ",\"site\":\"" + site + "\"") + "}")
                .when().post("/v1/admin/keys").then().statusCode(201).extract().path("secret");
    }

    private static Response signIn(String key) {
        return RestAssured.given().contentType("application/json").body("{\"key\":\"" + key + "\"}").when().post("/console/session");
    }

    private long call(String site, String linkedid) {
        return db.preparedQuery("""
                INSERT INTO calls (pbx, linkedid, did, caller, started_at, disposition, site_key)
                VALUES ('console', $1, '+74951110001', '+79160000001', $2, 'ANSWERED', $3) RETURNING id""")
                .execute(Tuple.of(linkedid, OffsetDateTime.of(2026, 10, 3, 10, 0, 0, 0, ZoneOffset.UTC), site))
                .await().indefinitely().iterator().next().getLong("id");
    }

    @Test
    void aKeyBecomesAnHttpOnlyStrictCookieAndTheKeyIsNotInIt() {
        String secret = key("console reader", "read", null);
        Response r = signIn(secret);
        r.then().statusCode(200).body("role", equalTo("READ")).body("name", equalTo("console reader"));
        String setCookie = r.getHeader("Set-Cookie");
        assertTrue(setCookie.startsWith(ConsoleSessions.COOKIE + "="), setCookie);
        assertTrue(setCookie.contains("HttpOnly"), setCookie);
        assertTrue(setCookie.toLowerCase().contains("samesite=strict"), setCookie);
        assertFalse(setCookie.contains(secret), "the key itself never goes into the cookie");
        assertFalse(setCookie.toLowerCase().contains("secure"), "plain http in tests: no Secure flag");
        Cookie cookie = r.getDetailedCookie(ConsoleSessions.COOKIE);
        RestAssured.given().cookie(cookie).when().get("/console/session").then().statusCode(200)
                .body("role", equalTo("READ")).body("csrf", equalTo(r.path("csrf")));
        RestAssured.given().cookie(cookie).when().get("/v1/calls").then().statusCode(200);
        RestAssured.given().cookie(cookie).when().get("/v1/admin/pools").then().statusCode(403)
                .body("detail", containsString("admin"));
    }

    @Test
    void aWrongKeyIsRefusedNamingTheField() {
        signIn("ct_not_a_key_at_all_0000000").then().statusCode(401).contentType("application/problem+json")
                .body("field", equalTo("key")).header("Set-Cookie", nullValue());
        RestAssured.given().contentType("application/json").body("{}").when().post("/console/session").then()
                .statusCode(400).body("field", equalTo("key"));
        RestAssured.given().cookie(ConsoleSessions.COOKIE, "forged").when().get("/v1/calls").then().statusCode(401)
                .body("type", containsString("session-ended"));
    }

    @Test
    void everyChangeNeedsTheSessionsCsrfToken() {
        long id = call("demo", "csrf-1");
        Response r = signIn(key("console writer", "write", null));
        Cookie cookie = r.getDetailedCookie(ConsoleSessions.COOKIE);
        String body = "{\"status\":\"LEAD\"}";
        RestAssured.given().cookie(cookie).contentType("application/json").body(body).when().put("/v1/calls/" + id + "/outcome")
                .then().statusCode(403).body("type", containsString("csrf"));
        RestAssured.given().cookie(cookie).header(ConsoleSessions.CSRF_HEADER, "guess").contentType("application/json").body(body)
                .when().put("/v1/calls/" + id + "/outcome").then().statusCode(403);
        RestAssured.given().cookie(cookie).header(ConsoleSessions.CSRF_HEADER, r.path("csrf").toString()).contentType("application/json")
                .body(body).when().put("/v1/calls/" + id + "/outcome").then().statusCode(200).body("outcome.status", equalTo("LEAD"));
    }

    @Test
    void aReadKeyCannotChangeAnythingThroughTheConsole() {
        long id = call("demo", "read-1");
        Response r = signIn(key("console read only", "read", null));
        Cookie cookie = r.getDetailedCookie(ConsoleSessions.COOKIE);
        String csrf = r.path("csrf");
        RestAssured.given().cookie(cookie).header(ConsoleSessions.CSRF_HEADER, csrf).contentType("application/json")
                .body("{\"status\":\"DEAL\"}").when().put("/v1/calls/" + id + "/outcome").then().statusCode(403);
        RestAssured.given().cookie(cookie).header(ConsoleSessions.CSRF_HEADER, csrf)
                .when().post("/v1/admin/pools/demo-visits/numbers/+74951110011/drain").then().statusCode(403);
        RestAssured.given().cookie(cookie).header(ConsoleSessions.CSRF_HEADER, csrf).contentType("application/json")
                .body("{\"name\":\"x\",\"role\":\"admin\"}").when().post("/v1/admin/keys").then().statusCode(403);
        Api.when().get("/v1/calls/" + id).then().statusCode(200).body("outcome", nullValue());
    }

    @Test
    void aSiteLimitedKeySeesOnlyItsSite() {
        call("demo", "site-demo");
        long shop = call("shop", "site-shop");
        Cookie cookie = signIn(key("console shop", "read", "shop")).getDetailedCookie(ConsoleSessions.COOKIE);
        RestAssured.given().cookie(cookie).queryParam("pbx", "console").when().get("/v1/calls").then().statusCode(200)
                .body("items.attribution.site", everyItem(equalTo("shop"))).body("items.id", hasItem((int) shop));
        RestAssured.given().cookie(cookie).queryParam("site", "demo").when().get("/v1/calls").then().statusCode(404);
    }

    @Test
    void signingOutOrRevokingTheKeyEndsTheSession() {
        String secret = key("console leaver", "admin", null);
        Response a = signIn(secret);
        Response b = signIn(secret);
        Cookie first = a.getDetailedCookie(ConsoleSessions.COOKIE);
        Cookie second = b.getDetailedCookie(ConsoleSessions.COOKIE);
        RestAssured.given().cookie(first).when().delete("/console/session").then().statusCode(403);
        RestAssured.given().cookie(first).header(ConsoleSessions.CSRF_HEADER, a.path("csrf").toString())
                .when().delete("/console/session").then().statusCode(204).header("Set-Cookie", containsString("Max-Age=0"));
        RestAssured.given().cookie(first).when().get("/v1/calls").then().statusCode(401);
        RestAssured.given().cookie(second).when().get("/v1/calls").then().statusCode(200);

        long id = Api.when().get("/v1/admin/keys").then().extract().jsonPath()
                .getLong("find { it.name == 'console leaver' && it.revokedAt == null }.id");
        Api.when().delete("/v1/admin/keys/" + id).then().statusCode(204);
        RestAssured.given().cookie(second).when().get("/v1/calls").then().statusCode(401)
                .body("detail", containsString("revoked"));
        RestAssured.given().cookie(second).when().get("/console/session").then().statusCode(401);
    }

    @Test
    void theConsoleIsServedWithAStrictContentSecurityPolicy() {
        String csp = RestAssured.when().get("/console/").then().statusCode(200).contentType(containsString("html"))
                .extract().header("Content-Security-Policy");
        assertTrue(csp.contains("script-src 'self'") && !csp.contains("unsafe"), csp);
        RestAssured.when().get("/webjars/chart.js/4.4.7/dist/chart.umd.js").then().statusCode(200);
        assertEquals("frame-ancestors 'none'", RestAssured.when().get("/v1/calls").then().extract().header("Content-Security-Policy"));
        RestAssured.when().get("/console/app.js").then().statusCode(200).body(not(containsString("localStorage.setItem('ct_key")));
    }
}
