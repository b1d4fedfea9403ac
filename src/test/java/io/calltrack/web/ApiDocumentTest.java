package io.calltrack.web;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The served document as a client generator reads it, with a public URL configured. */
@QuarkusTest
@TestProfile(ApiDocumentTest.PublicUrl.class)
class ApiDocumentTest {

    public static class PublicUrl implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("calltrack.public-url", "https://calltrack.example.com/");
        }
    }

    private static JsonPath document() {
        return given().when().get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void theServerIsThePublicUrlSoGeneratedClientsDefaultToIt() {
        assertEquals("https://calltrack.example.com", document().getString("servers[0].url"));
    }

    @Test
    void everyOperationHasAnIdAndEveryWebhookEventItsBody() {
        JsonPath doc = document();
        Map<String, Map<String, Map<String, Object>>> paths = doc.getMap("paths");
        paths.forEach((path, item) -> item.forEach((method, op) ->
                assertTrue(op.get("operationId") instanceof String id && id.matches("[a-z][A-Za-z]+"), method + " " + path)));
        assertEquals("listCalls", doc.getString("paths.'/v1/calls'.get.operationId"));
        Map<String, Object> webhooks = doc.getMap("webhooks");
        assertEquals(List.of("call.started", "call.attributed", "call.completed", "call.outcome", "call.revised"), List.copyOf(webhooks.keySet()));
        assertEquals("#/components/schemas/WebhookEvent",
                doc.getString("webhooks.'call.completed'.post.requestBody.content.'application/json'.schema.'$ref'"));
        // java.time inline, nullable where said
        assertEquals("date-time", doc.getString("components.schemas.Call.properties.startedAt.format"));
        assertTrue(doc.getList("components.schemas.Call.properties.caller.type").contains("null"));
        assertTrue(doc.getMap("components.schemas").keySet().stream().noneMatch(List.of("Instant", "Duration", "LocalDate")::contains));
    }
}
