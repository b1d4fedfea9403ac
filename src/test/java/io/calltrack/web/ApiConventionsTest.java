package io.calltrack.web;

import io.calltrack.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.Logger;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every response carries, whatever the route: the request id. */
@QuarkusTest
class ApiConventionsTest {

    @Test
    void everyResponseCarriesTheRequestIdSentOrANewOne() {
        Api.given().header("X-Request-Id", "crm-sync-42").when().get("/v1/calls?limit=1").then().statusCode(200)
                .header("X-Request-Id", equalTo("crm-sync-42"));
        Api.given().header("X-Request-Id", "crm-sync-43").when().get("/v1/calls/999999999").then().statusCode(404)
                .header("X-Request-Id", equalTo("crm-sync-43"));
        given().header("X-Request-Id", "no-key-44").when().get("/v1/calls").then().statusCode(401)
                .header("X-Request-Id", equalTo("no-key-44"));
        given().when().get("/no/such/route").then().statusCode(404).header("X-Request-Id", matchesPattern("[0-9a-f]{32}"));
        // one that could forge a log line or carry markup is replaced, not echoed
        given().header("X-Request-Id", "a b<script>").when().get("/q/health/live").then()
                .header("X-Request-Id", matchesPattern("[0-9a-f]{32}"));
    }

    @Test
    void theLogLinesOfARequestCarryItsId() {
        List<ExtLogRecord> records = new CopyOnWriteArrayList<>();
        ExtHandler capture = new ExtHandler() {
            @Override
            protected void doPublish(ExtLogRecord record) {
                record.copyAll(); // the MDC as it is on the thread that logged
                records.add(record);
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        try {
            String id = "reload-" + System.nanoTime();
            Api.given().header("X-Request-Id", id).when().post("/v1/admin/config/reload").then().statusCode(200);
            await().untilAsserted(() -> assertTrue(records.stream().anyMatch(r -> r.getFormattedMessage() != null
                    && r.getFormattedMessage().contains("reloaded") && id.equals(r.getMdc("requestId"))),
                    "no reload log line with request id " + id));
        } finally {
            root.removeHandler(capture);
        }
    }
}
