package io.calltrack.support;

import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

import java.util.UUID;

import static io.restassured.RestAssured.given;

/** Starts a visit the way the browser script does: POST /v1/sessions as text/plain from a desktop browser. */
public final class Visits {

    private Visits() {
    }

    public static String newVisitorId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    /** @return the response of a successful start (sessionId, numbers[...]) */
    public static ExtractableResponse<Response> start(String siteKey, String url) {
        return given().contentType("text/plain").header("User-Agent", Browsers.DESKTOP_CHROME).header("Origin", "http://localhost")
                .body("{\"siteKey\":\"" + siteKey + "\",\"visitorId\":\"" + newVisitorId() + "\",\"url\":\"" + url
                        + "\",\"referrer\":\"https://www.google.com/\"}")
                .when().post("/v1/sessions").then().statusCode(200).extract();
    }
}
