package io.calltrack.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.calltrack.support.Api;
import io.calltrack.support.Browsers;
import io.calltrack.support.PoolFixture;
import io.calltrack.support.TestClock;
import io.calltrack.support.Visits;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Walks every operation of the served OpenAPI document and sends each path and query parameter and each
 * JSON body field the classes of bad input an attacker or a broken client sends. No answer may be a 5xx;
 * every 4xx is problem+json, and a 400 names the field that was spoiled. Then a normal visit and a call to
 * its number must still work end to end.
 */
@QuarkusTest
class OpenApiHostileWalkTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Values that must never reach the database as they are, or that stress parsing. */
    static final Map<String, String> TEXT_CLASSES = new LinkedHashMap<>();

    static {
        TEXT_CLASSES.put("nul", "a\u0000b");
        TEXT_CLASSES.put("control", "\u0001\u0007\u001b[2J\u007f");
        TEXT_CLASSES.put("lone-surrogate", "x\ud800y");
        TEXT_CLASSES.put("huge-number", "99999999999999999999999999");
        TEXT_CLASSES.put("tiny-number", "-99999999999999999999999999");
        TEXT_CLASSES.put("nan", "NaN");
        TEXT_CLASSES.put("far-future", "+300000-01-01T00:00:00Z");
        TEXT_CLASSES.put("far-past", "-300000-01-01T00:00:00Z");
        TEXT_CLASSES.put("far-date", "+999999999-12-31");
        TEXT_CLASSES.put("blank", " ");
        TEXT_CLASSES.put("empty", "");
        TEXT_CLASSES.put("separators", ",;|\"'`%");
        TEXT_CLASSES.put("overlong", "x".repeat(3_000));
    }

    /** JSON values put in a body field's place: wrong types, nulls in arrays, deep nesting, long text. */
    static final Map<String, String> JSON_CLASSES = new LinkedHashMap<>();

    static {
        JSON_CLASSES.put("null", "null");
        JSON_CLASSES.put("object", "{\"a\":1}");
        JSON_CLASSES.put("array-of-null", "[null]");
        JSON_CLASSES.put("number", "1e309");
        JSON_CLASSES.put("negative", "-9223372036854775809");
        JSON_CLASSES.put("boolean", "true");
        JSON_CLASSES.put("deep", "[".repeat(5_000) + "]".repeat(5_000));
        JSON_CLASSES.put("long-text", "\"" + "y".repeat(200_000) + "\"");
    }

    @Inject
    Pool db;
    @Inject
    PoolFixture fixture;
    @Inject
    TestClock clock;

    private final List<String> failures = new ArrayList<>();
    private final Map<String, Integer> sentPerClass = new TreeMap<>();
    private JsonNode doc;

    @Test
    void everyOperationAnswersHostileInputWith4xxProblemsNamingTheField() throws Exception {
        doc = JSON.readTree(RestAssured.get("/q/openapi?format=json").asString());
        Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields();
            while (ops.hasNext()) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (op.getValue().isObject() && op.getValue().has("responses")) {
                    walk(path.getKey(), op.getKey(), op.getValue());
                }
            }
        }
        System.out.println("hostile walk: requests per class " + sentPerClass);
        removeWalkWebhooks();
        assertTrue(failures.isEmpty(), failures.size() + " bad answers:\n" + String.join("\n", failures));
        aNormalVisitAndCallStillWork();
    }

    private void walk(String template, String method, JsonNode op) {
        Map<String, String> pathValues = new LinkedHashMap<>();
        Map<String, String> queryValues = new LinkedHashMap<>();
        for (JsonNode p : op.path("parameters")) {
            String in = p.path("in").asText();
            String name = p.path("name").asText();
            if (in.equals("path")) {
                pathValues.put(name, validValue(name, p));
            } else if (in.equals("query") && p.path("required").asBoolean()) {
                queryValues.put(name, validValue(name, p));
            }
        }
        ObjectNode body = baseBody(op);
        for (JsonNode p : op.path("parameters")) {
            String in = p.path("in").asText();
            if (!in.equals("path") && !in.equals("query")) {
                continue;
            }
            String name = p.path("name").asText();
            for (Map.Entry<String, String> bad : TEXT_CLASSES.entrySet()) {
                if (in.equals("path") && bad.getValue().isEmpty()) {
                    continue; // an empty segment is another route
                }
                Map<String, String> path = new LinkedHashMap<>(pathValues);
                Map<String, String> query = new LinkedHashMap<>(queryValues);
                (in.equals("path") ? path : query).put(name, bad.getValue());
                check(method, template, path, query, body == null ? null : body.toString(), name, bad.getKey());
            }
        }
        if (body != null) {
            Iterator<String> fields = body.fieldNames();
            List<String> names = new ArrayList<>();
            fields.forEachRemaining(names::add);
            for (String field : names) {
                for (Map.Entry<String, String> bad : TEXT_CLASSES.entrySet()) {
                    ObjectNode spoiled = body.deepCopy();
                    spoiled.put(field, bad.getValue());
                    check(method, template, pathValues, queryValues, spoiled.toString(), field, bad.getKey());
                }
                for (Map.Entry<String, String> bad : JSON_CLASSES.entrySet()) {
                    String raw = body.deepCopy().put(field, "__HOLE__").toString().replace("\"__HOLE__\"", bad.getValue());
                    check(method, template, pathValues, queryValues, raw, field, bad.getKey());
                }
            }
            check(method, template, pathValues, queryValues, "null", null, "null-body");
            check(method, template, pathValues, queryValues, "\u0000\u0000{}", null, "nul-prefixed-body");
            check(method, template, pathValues, queryValues, "{\"a\": ", null, "truncated-body");
            check(method, template, pathValues, queryValues, "[" + "{}," .repeat(300_000) + "{}]", null, "huge-body");
        }
    }

    private void check(String method, String template, Map<String, String> path, Map<String, String> query, String body,
                       String field, String kind) {
        sentPerClass.merge(kind, 1, Integer::sum);
        String url = template;
        for (Map.Entry<String, String> p : path.entrySet()) {
            url = url.replace("{" + p.getKey() + "}", encode(p.getValue()));
        }
        StringBuilder q = new StringBuilder();
        query.forEach((k, v) -> q.append(q.length() == 0 ? "?" : "&").append(k).append('=').append(encode(v)));
        RequestSpecification request = Api.given().urlEncodingEnabled(false).header("User-Agent", Browsers.DESKTOP_CHROME)
                .header("Origin", "http://localhost");
        if (body != null) {
            request.contentType(template.startsWith("/v1/sessions") ? "text/plain" : "application/json")
                    .body(body.getBytes(StandardCharsets.UTF_8));
        }
        Response r = request.request(method.toUpperCase(), url + q);
        String where = method.toUpperCase() + " " + template + " [" + (field == null ? "body" : field) + " = " + kind + "] -> "
                + r.statusCode();
        if (r.statusCode() >= 500) {
            failures.add(where + " " + r.asString());
        } else if (r.statusCode() >= 400) {
            boolean scriptTag = template.startsWith("/s/") && String.valueOf(r.contentType()).startsWith("text/javascript");
            if (scriptTag) {
                return; // by design: a <script> tag gets a script that does nothing, so the page never sees an error
            }
            if (!String.valueOf(r.contentType()).startsWith("application/problem+json")) {
                failures.add(where + " not problem+json: " + r.contentType());
            } else if (r.statusCode() == 400 && field != null && r.jsonPath().getString("field") == null) {
                failures.add(where + " names no field: " + r.asString());
            }
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A value that passes on its own, so that only the spoiled one is at fault. */
    private String validValue(String name, JsonNode parameter) {
        JsonNode schema = resolve(parameter.path("schema"));
        String type = schema.path("type").asText();
        if (type.equals("integer")) {
            return "999999999"; // no such call, key or webhook: nothing real is touched
        }
        if (name.equals("poolId")) {
            return "no-such-pool";
        }
        if (parameter.has("example")) {
            return parameter.get("example").asText();
        }
        if (name.equals("from")) {
            return "2026-11-01";
        }
        if (name.equals("to")) {
            return "2026-11-02";
        }
        return type.equals("number") ? "0.99" : type.equals("boolean") ? "true" : "x";
    }

    /** The operation's JSON body built from its schema's examples, or null when it takes none. */
    private ObjectNode baseBody(JsonNode op) {
        JsonNode content = op.path("requestBody").path("content");
        JsonNode media = content.has("application/json") ? content.get("application/json") : content.get("text/plain");
        if (media == null) {
            return null;
        }
        JsonNode schema = resolve(media.path("schema"));
        if (!schema.path("type").asText("object").equals("object")) {
            return null; // lists (spend rows) are walked through their own validation tests
        }
        ObjectNode body = JSON.createObjectNode();
        Iterator<Map.Entry<String, JsonNode>> props = schema.path("properties").fields();
        while (props.hasNext()) {
            Map.Entry<String, JsonNode> p = props.next();
            JsonNode prop = resolve(p.getValue());
            JsonNode example = prop.has("examples") && prop.get("examples").size() > 0 ? prop.get("examples").get(0)
                    : prop.path("example");
            if (p.getKey().equals("url") && !op.path("tags").toString().contains("Sessions")) {
                body.put("url", "http://127.0.0.1:9/hook"); // a webhook that would be created: nothing listens there
            } else if (!example.isMissingNode()) {
                body.set(p.getKey(), example);
            }
        }
        return body;
    }

    private JsonNode resolve(JsonNode schema) {
        String ref = schema.path("$ref").asText(null);
        if (ref == null && schema.has("allOf") && schema.get("allOf").size() > 0) {
            ref = schema.get("allOf").get(0).path("$ref").asText(null);
        }
        return ref == null ? schema : doc.at(ref.substring(1));
    }

    private void removeWalkWebhooks() {
        for (Object id : Api.when().get("/v1/webhooks").jsonPath().getList("findAll { it.url.contains('127.0.0.1:9') }.id")) {
            Api.when().delete("/v1/webhooks/" + id);
        }
    }

    private void aNormalVisitAndCallStillWork() {
        fixture.fresh("demo-visits");
        var visit = Visits.start("demo", "https://demo.example/?utm_source=after-walk&utm_medium=cpc");
        String number = visit.path("numbers[0].number");
        String session = visit.path("sessionId");
        await().atMost(Duration.ofSeconds(15)).until(() -> db.preparedQuery("SELECT count(*) FROM sessions WHERE id = $1")
                .execute(Tuple.of(session)).await().indefinitely().iterator().next().getLong(0) == 1);
        String id = "walk-" + System.nanoTime();
        Api.given().contentType("application/json").body("{\"source\":\"walk\",\"externalId\":\"" + id
                + "\",\"type\":\"start\",\"did\":\"" + number + "\",\"at\":\"" + clock.instant() + "\"}")
                .post("/v1/calls/events").then().statusCode(200);
        var call = db.preparedQuery("SELECT session_id, attribution_method FROM calls WHERE linkedid = $1").execute(Tuple.of(id))
                .await().indefinitely().iterator().next();
        assertEquals(session, call.getString("session_id"));
        assertEquals("LIVE_LEASE", call.getString("attribution_method"));
    }
}
