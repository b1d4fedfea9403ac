package io.calltrack.session;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class SnippetResourceTest {

    @Test
    void scriptCarriesTheSiteSettingsAndIsCacheable() {
        Response r = when().get("/s/shop.js").then()
                .statusCode(200)
                .contentType(startsWith("text/javascript"))
                .header("Cache-Control", "public, max-age=300")
                .body(containsString("\"siteKey\":\"shop\""))
                .body(containsString("\"nsn\":\"2079460000\""))
                .body(containsString("\"trunk\":\"0\""))
                .body(not(containsString("CALLTRACK_CONFIG")))
                .extract().response();
        String etag = r.header("ETag");
        given().header("If-None-Match", etag).when().get("/s/shop.js").then().statusCode(304);
    }

    @Test
    void scriptIsServedGzippedAndFitsTheSizeBudget() throws Exception {
        given().header("Accept-Encoding", "gzip").when().get("/s/demo.js").then()
                .statusCode(200).header("Content-Encoding", "gzip");
        String script = when().get("/s/demo.js").then().extract().asString();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out) {{ def.setLevel(9); }}) {
            gz.write(script.getBytes(StandardCharsets.UTF_8));
        }
        assertTrue(out.size() <= 5 * 1024, "gzipped script is " + out.size() + " bytes");
    }

    @Test
    void unknownSiteGetsAScriptThatDoesNothing() {
        when().get("/s/no-such-site.js").then()
                .statusCode(404)
                .contentType(startsWith("text/javascript"))
                .body(equalTo("/* calltrack: no such site */\n"));
    }
}
