package io.calltrack.session;

import io.calltrack.support.Api;
import io.calltrack.support.Browsers;
import io.calltrack.support.PoolFixture;
import io.calltrack.support.RawHttp;
import io.calltrack.support.Visits;
import io.calltrack.support.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

@QuarkusTest
class SessionResourceTest {

    static final String CHROME = Browsers.DESKTOP_CHROME;

    @Inject
    PoolFixture fixture;
    @Inject
    Pool db;
    @Inject
    TestClock clock;

    static String visitor() {
        return Visits.newVisitorId();
    }

    static String body(String site, String visitor, String url) {
        return "{\"siteKey\":\"" + site + "\",\"visitorId\":\"" + visitor + "\",\"url\":\"" + url
                + "\",\"referrer\":\"https://www.google.com/\",\"title\":\"Sofas\",\"gaClientId\":\"123.456\"}";
    }

    static RequestSpecification browser(String origin) {
        return given().contentType("text/plain").header("User-Agent", CHROME).header("Origin", origin)
                .header("X-Forwarded-For", "10.9." + (int) (Math.random() * 250) + "." + (int) (Math.random() * 250));
    }

    @Test
    void paidVisitLeasesADynamicNumberFormattedLikeTheSiteAndAllowsItsOrigin() {
        fixture.fresh("shop-paid");
        String visitor = visitor();
        Response r = browser("https://shop.example.com")
                .body(body("shop", visitor, "https://shop.example.com/sofas?utm_source=google&utm_medium=cpc&utm_term=red+sofa&gclid=G1"))
                .when().post("/v1/sessions").then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", "https://shop.example.com")
                .header("Vary", "Origin")
                .body("sessionId", containsString("~shop-paid"))
                .body("pingSeconds", equalTo(30))
                .body("pingMillis", equalTo(30000))
                .body("numbers[0].original", equalTo("+442079460000"))
                .body("numbers[0].number", startsWith("+44207946020"))
                .body("numbers[0].display", startsWith("020 7946 020"))
                .body("numbers[0].poolId", equalTo("shop-paid"))
                .body("numbers[0].leased", equalTo(true))
                .extract().response();
        String sessionId = r.path("sessionId");

        browser("https://shop.example.com").body("{\"siteKey\":\"shop\"}")
                .when().post("/v1/sessions/" + sessionId + "/ping").then().statusCode(204);

        Row visit = awaitVisit(sessionId);
        assertEquals("google", visit.getString("source"));
        assertEquals("cpc", visit.getString("medium"));
        assertEquals("red sofa", visit.getString("keyword"));
        assertEquals("G1", visit.getString("gclid"));
        assertEquals("123.456", visit.getString("ga_client_id"));
        assertEquals((String) r.path("numbers[0].number"), visit.getString("number"));
        assertFalse(visit.getBoolean("bot"));
    }

    @Test
    void staticPoolVisitGetsTheStaticNumberWithoutLease() {
        browser("https://shop.example.com")
                .body(body("shop", visitor(), "https://shop.example.com/?utm_source=bus&utm_medium=offline&utm_campaign=billboard-north"))
                .when().post("/v1/sessions").then()
                .statusCode(200)
                .body("sessionId", nullValue())
                .body("numbers[0].poolId", equalTo("shop-billboard"))
                .body("numbers[0].leased", equalTo(false))
                .body("numbers[0].number", startsWith("+44207946010"));
    }

    @Test
    void foreignOriginIsRefused() {
        browser("https://evil.example.net").body(body("shop", visitor(), "https://shop.example.com/"))
                .when().post("/v1/sessions").then()
                .statusCode(403)
                .contentType("application/problem+json")
                .header("Access-Control-Allow-Origin", nullValue())
                .body("field", equalTo("Origin"));
        browser("https://a.shop.example.com").body(body("shop", visitor(), "https://a.shop.example.com/"))
                .when().post("/v1/sessions").then().statusCode(200);
    }

    @Test
    void preflightIsAnsweredForSiteOriginsOnly() {
        given().header("Origin", "https://shop.example.com").header("Access-Control-Request-Method", "POST")
                .when().options("/v1/sessions").then()
                .statusCode(204)
                .header("Access-Control-Allow-Origin", "https://shop.example.com")
                .header("Access-Control-Allow-Methods", "POST");
        given().header("Origin", "https://evil.example.net").when().options("/v1/sessions").then().statusCode(403);
    }

    @Test
    void botsGetTheDefaultNumberAndNoLease() {
        fixture.fresh("shop-rest");
        given().contentType("text/plain").header("User-Agent", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")
                .body(body("shop", visitor(), "https://shop.example.com/"))
                .when().post("/v1/sessions").then()
                .statusCode(200)
                .body("sessionId", nullValue())
                .body("numbers[0].number", equalTo("+442079460000"))
                .body("numbers[0].display", equalTo("020 7946 0000"))
                .body("numbers[0].leased", equalTo(false));
        given().contentType("text/plain").header("User-Agent", CHROME.replace("Chrome/", "HeadlessChrome/"))
                .body(body("shop", visitor(), "https://shop.example.com/"))
                .when().post("/v1/sessions").then()
                .statusCode(200).body("numbers[0].leased", equalTo(false));
        Api.when().get("/v1/admin/pools/shop-rest").then().body("sessions", equalTo(0));
    }

    /** Rate limits count per minute: start well inside one so a test never straddles two windows. */
    private void awayFromMinuteBoundary() {
        long intoMinute = clock.millis() % 60_000;
        if (intoMinute > 45_000) {
            clock.advance(Duration.ofMillis(60_000 - intoMinute + 100));
        }
    }

    @Test
    void perVisitorRateLimitTripsAfterFiveNewVisits() {
        fixture.fresh("lab-big");
        awayFromMinuteBoundary();
        String visitor = visitor();
        String url = "https://shop.example.com/?utm_campaign=big";
        for (int i = 0; i < 5; i++) {
            browser("http://localhost").body(body("lab", visitor, url)).when().post("/v1/sessions").then().statusCode(200)
                    .body("numbers[0].leased", equalTo(true));
        }
        browser("http://localhost").body(body("lab", visitor, url)).when().post("/v1/sessions").then()
                .statusCode(429).contentType("application/problem+json");
        browser("http://localhost").body(body("lab", visitor(), url)).when().post("/v1/sessions").then().statusCode(200);
    }

    @Test
    void perIpRateLimitTripsAcrossVisitors() {
        fixture.fresh("lab-big");
        awayFromMinuteBoundary();
        String url = "https://shop.example.com/?utm_campaign=big";
        int ok = 0;
        int limited = 0;
        for (int i = 0; i < 301; i++) {
            int status = given().contentType("text/plain").header("User-Agent", CHROME).header("X-Forwarded-For", "10.77.77.77")
                    .body(body("lab", visitor(), url)).when().post("/v1/sessions").then().extract().statusCode();
            ok += status == 200 ? 1 : 0;
            limited += status == 429 ? 1 : 0;
        }
        assertEquals(300, ok);
        assertEquals(1, limited);
    }

    @Test
    void badInputGetsAProblemNamingTheField() {
        browser("http://localhost").body("{\"siteKey\": \"shop\", ").when().post("/v1/sessions").then()
                .statusCode(400).contentType("application/problem+json").body("title", equalTo("Malformed request body"));
        browser("http://localhost").body("{\"siteKey\":\"shop\",\"visitorId\":\"x\",\"url\":\"https://a/\"}")
                .when().post("/v1/sessions").then().statusCode(400).body("field", equalTo("visitorId"));
        browser("http://localhost").body("{\"siteKey\":\"shop\",\"visitorId\":\"" + visitor() + "\",\"url\":\"javascript:alert(1)\"}")
                .when().post("/v1/sessions").then().statusCode(400).body("field", equalTo("url"));
        browser("http://localhost").body("{\"siteKey\":\"shop\",\"visitorId\":\"" + visitor() + "\",\"url\":\"https://a/\",\"previous\":\"x\"}")
                .when().post("/v1/sessions").then().statusCode(400).body("field", equalTo("previous"));
        browser("http://localhost").body(body("nope", visitor(), "https://a/")).when().post("/v1/sessions").then()
                .statusCode(404).body("field", equalTo("siteKey"));
        browser("http://localhost").body("").when().post("/v1/sessions").then().statusCode(400);
        browser("http://localhost").when().post("/v1/sessions/not-a-session/ping").then().statusCode(404);
    }

    @Test
    void xssInUtmValuesIsStoredAsTextAndOversizedUrlsAreTruncated() {
        fixture.fresh("shop-rest");
        String payload = "%3Cscript%3Ealert(1)%3C%2Fscript%3E";
        String longUrl = "https://shop.example.com/?utm_source=" + payload + "&utm_medium=email&pad=" + "x".repeat(5000);
        String json = browser("https://shop.example.com").body(body("shop", visitor(), longUrl))
                .when().post("/v1/sessions").then().statusCode(200).contentType(ContentType.JSON).extract().asString();
        assertFalse(json.contains("<script>"), "nothing from the request is echoed");
        String sessionId = io.restassured.path.json.JsonPath.from(json).getString("sessionId");
        Row visit = awaitVisit(sessionId);
        assertEquals("<script>alert(1)</script>", visit.getString("source"));
        assertEquals(2048, visit.getString("landing_url").length());
    }

    @Test
    void aShortHoldMakesThePagePingOftenEnoughToKeepIt() {
        fixture.fresh("lab-ms"); // hold 2.5 s: a ping every 30 s would lose the number between pings
        given().contentType("text/plain").header("User-Agent", CHROME)
                .body(body("lab", visitor(), "https://lab.example/?utm_campaign=ms")).when().post("/v1/sessions").then()
                .statusCode(200).body("numbers[0].leased", equalTo(true)).body("pingSeconds", equalTo(1))
                .body("pingMillis", equalTo(1000));
    }

    @Test
    void theClientAddressComesFromTrustedProxiesOnly() {
        fixture.fresh("shop-paid");
        String url = "https://shop.example.com/?utm_source=google&utm_medium=cpc";
        // loopback is a trusted proxy here: what it appended counts, what the visitor wrote at the left does not
        String viaProxy = given().contentType("text/plain").header("User-Agent", CHROME)
                .header("X-Forwarded-For", "1.2.3.4, 203.0.113.5").body(body("shop", visitor(), url))
                .when().post("/v1/sessions").then().statusCode(200).extract().path("sessionId");
        assertEquals("203.0.113.5", awaitVisit(viaProxy).getString("ip"));
        // 127.0.0.2 is not: its header is ignored
        RawHttp.Answer direct = RawHttp.sendFrom("127.0.0.2", "POST /v1/sessions HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: text/plain\r\nUser-Agent: " + CHROME + "\r\nX-Forwarded-For: 203.0.113.5", body("shop", visitor(), url));
        assertEquals(200, direct.status(), direct.body());
        String sessionId = io.restassured.path.json.JsonPath.from(direct.body()).getString("sessionId");
        assertEquals("127.0.0.2", awaitVisit(sessionId).getString("ip"));
    }

    private Row awaitVisit(String sessionId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            var rows = db.preparedQuery("SELECT * FROM sessions WHERE id = $1").execute(Tuple.of(sessionId)).await().indefinitely();
            if (rows.size() > 0 && rows.iterator().next().getString("number") != null) {
                return rows.iterator().next();
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        throw new AssertionError("visit " + sessionId + " never reached PostgreSQL");
    }
}
