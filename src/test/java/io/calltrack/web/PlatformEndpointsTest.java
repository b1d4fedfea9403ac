package io.calltrack.web;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.when;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

@QuarkusTest
class PlatformEndpointsTest {

    @Test
    void readinessReportsPostgresAndRedisUp() {
        when().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems(containsString("Reactive PostgreSQL"), containsString("Redis")));
    }

    @Test
    void openApiDocumentIsServedWithTitle() {
        when().get("/q/openapi?format=json").then()
                .statusCode(200)
                .body("info.title", equalTo("Calltrack API"))
                .body("paths", org.hamcrest.Matchers.hasKey("/v1/admin/config/reload"));
    }

    @Test
    void unknownRouteIsProblemJsonWithoutStackTrace() {
        when().get("/v1/no-such-thing").then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404));
    }
}
