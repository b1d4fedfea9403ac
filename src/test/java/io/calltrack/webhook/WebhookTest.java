package io.calltrack.webhook;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static io.calltrack.support.Api.given;
import static io.calltrack.support.Api.when;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Webhooks: signed deliveries of a call's lifecycle, retries after errors, parking after 24 h and replay. */
@QuarkusTest
class WebhookTest {

    /** What a receiver got: headers that matter and the body. */
    record Received(String event, String delivery, String timestamp, String signature, String body) {
    }

    private static HttpServer receiver;
    private static final Map<String, List<Received>> RECEIVED = new ConcurrentHashMap<>();
    /** Statuses each receiver path answers, in turn; 200 once they run out. */
    private static final Map<String, Deque<Integer>> ANSWERS = new ConcurrentHashMap<>();

    @Inject
    Pool db;

    @BeforeAll
    static void startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook/", exchange -> {
            String name = exchange.getRequestURI().getPath().substring("/hook/".length());
            var h = exchange.getRequestHeaders();
            RECEIVED.computeIfAbsent(name, k -> new CopyOnWriteArrayList<>()).add(new Received(h.getFirst("Calltrack-Event"),
                    h.getFirst("Calltrack-Delivery"), h.getFirst("Calltrack-Timestamp"), h.getFirst("Calltrack-Signature"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            Deque<Integer> answers = ANSWERS.get(name);
            Integer status = answers == null ? null : answers.poll();
            exchange.sendResponseHeaders(status == null ? 200 : status, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.stop(0);
    }

    private static String url(String name) {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook/" + name;
    }

    private static JsonPath subscribe(String site, String name, String events) {
        return given().contentType("application/json")
                .body("{\"site\":\"" + site + "\",\"url\":\"" + url(name) + "\",\"events\":" + events + "}")
                .when().post("/v1/webhooks").then().statusCode(201)
                .header("Location", org.hamcrest.Matchers.matchesPattern(".*/v1/webhooks/\\d+")).extract().jsonPath();
    }

    /** A call to the demo site's static number (so attributed), through the generic ingest. */
    private static long call(String id, boolean end) {
        long callId = given().contentType("application/json").body("{\"source\":\"hooks\",\"externalId\":\"" + id
                        + "\",\"type\":\"start\",\"did\":\"+74952000001\",\"caller\":\"+79160000077\"}")
                .when().post("/v1/calls/events").then().statusCode(200).extract().jsonPath().getLong("callId");
        if (end) {
            given().contentType("application/json").body("{\"source\":\"hooks\",\"externalId\":\"" + id + "\",\"type\":\"end\"}")
                    .when().post("/v1/calls/events").then().statusCode(200);
        }
        return callId;
    }

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        Instant until = Instant.now().plus(Duration.ofSeconds(20));
        while (!done.getAsBoolean()) {
            if (Instant.now().isAfter(until)) {
                throw new AssertionError("waited 20 s for " + what);
            }
            Thread.sleep(100);
        }
    }

    private static List<Received> received(String name) {
        return RECEIVED.getOrDefault(name, List.of());
    }

    /** What a receiver does to trust a delivery: HMAC-SHA256 over "timestamp.body" with the webhook's secret. */
    private static boolean verifies(String secret, Received r) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = "v1=" + HexFormat.of().formatHex(mac.doFinal((r.timestamp() + "." + r.body()).getBytes(StandardCharsets.UTF_8)));
        return expected.equals(r.signature())
                && Math.abs(Instant.now().getEpochSecond() - Long.parseLong(r.timestamp())) < 300;
    }

    @Test
    void aCallsLifecycleArrivesSignedAtItsSiteOnly() throws Exception {
        JsonPath hook = subscribe("demo", "life", "[\"call.started\",\"call.attributed\",\"call.completed\",\"call.outcome\"]");
        subscribe("shop", "other-site", "[\"call.started\"]");
        String secret = hook.getString("secret");
        long callId = call("life-" + System.nanoTime(), true);
        given().contentType("application/json").body("{\"status\":\"deal\",\"value\":9000,\"currency\":\"RUB\"}")
                .when().put("/v1/calls/" + callId + "/outcome").then().statusCode(200);
        await("four events", () -> received("life").size() >= 4);
        Thread.sleep(1500); // and no more
        List<Received> got = received("life");
        assertEquals(Set.of("call.started", "call.attributed", "call.completed", "call.outcome"),
                got.stream().map(Received::event).collect(Collectors.toSet()));
        assertEquals(4, got.size());
        for (Received r : got) {
            assertTrue(verifies(secret, r), "signature of " + r.event());
            assertTrue(!verifies(secret, new Received(r.event(), r.delivery(), r.timestamp(), r.signature(), r.body() + " ")),
                    "a changed body fails the check");
            JsonPath body = JsonPath.from(r.body());
            assertEquals(r.event(), body.getString("event"));
            assertEquals(r.delivery(), body.getString("id"));
            assertEquals(callId, body.getLong("call.id"));
            assertEquals("STATIC_POOL", body.getString("call.attribution.method"));
        }
        assertEquals(List.of(), received("other-site"), "another site's webhook hears nothing of this call");
        when().get("/v1/webhooks/" + hook.getLong("webhook.id") + "/deliveries").then().statusCode(200)
                .body("size()", equalTo(4)).body("state.unique()", equalTo(List.of("DELIVERED")))
                .body("attempts.unique()", equalTo(List.of(1)));
    }

    @Test
    void aFailingReceiverGetsTheSameDeliveryAgainUntilItAccepts() throws Exception {
        ANSWERS.put("flaky", new ArrayDeque<>(List.of(500, 500)));
        JsonPath hook = subscribe("demo", "flaky", "[\"call.completed\"]");
        call("flaky-" + System.nanoTime(), true);
        await("three attempts", () -> received("flaky").size() >= 3);
        List<Received> got = received("flaky");
        assertEquals(1, got.stream().map(Received::delivery).distinct().count(), "one delivery, retried: " + got);
        await("delivered", () -> "DELIVERED".equals(when().get("/v1/webhooks/" + hook.getLong("webhook.id") + "/deliveries")
                .then().extract().path("[0].state")));
        when().get("/v1/webhooks/" + hook.getLong("webhook.id") + "/deliveries").then()
                .body("[0].attempts", equalTo(3)).body("[0].lastStatus", equalTo(200));
    }

    @Test
    void afterADayOfFailuresADeliveryIsParkedAndCanBeReplayed() throws Exception {
        ANSWERS.put("down", new ArrayDeque<>(java.util.Collections.nCopies(1000, 503)));
        JsonPath hook = subscribe("demo", "down", "[\"call.started\"]");
        long webhook = hook.getLong("webhook.id");
        call("down-" + System.nanoTime(), false);
        await("a failed attempt", () -> !received("down").isEmpty());
        // 24 hours of retries, as far as the delivery knows
        db.preparedQuery("UPDATE webhook_deliveries SET retry_until = now() WHERE webhook_id = $1")
                .execute(Tuple.of(webhook)).await().indefinitely();
        String deliveries = "/v1/webhooks/" + webhook + "/deliveries";
        await("parked", () -> "PARKED".equals(when().get(deliveries).then().extract().path("[0].state")));
        when().get(deliveries + "?state=parked").then().body("size()", equalTo(1))
                .body("[0].lastStatus", equalTo(503)).body("[0].lastError", equalTo("HTTP 503"));
        int seen = received("down").size();
        Thread.sleep(1500);
        assertEquals(seen, received("down").size(), "a parked delivery is not sent");

        ANSWERS.get("down").clear();
        int delivery = when().get(deliveries).then().extract().path("[0].id");
        when().post("/v1/webhooks/deliveries/" + delivery + "/replay").then().statusCode(200).body("state", equalTo("PENDING"));
        await("delivered after replay", () -> "DELIVERED".equals(when().get(deliveries).then().extract().path("[0].state")));
    }

    @Test
    void badSubscriptionsNameTheField() {
        String[][] bad = {{"{\"site\":\"demo\",\"url\":\"ftp://x/\",\"events\":[\"call.started\"]}", "url"},
                {"{\"site\":\"demo\",\"url\":\"crm.example.com\",\"events\":[\"call.started\"]}", "url"},
                {"{\"site\":\"demo\",\"url\":\"https://crm.example.com/\",\"events\":[]}", "events"},
                {"{\"site\":\"demo\",\"url\":\"https://crm.example.com/\",\"events\":[\"call.started\", \"call.ringing\"]}", "events[1]"},
                {"{\"site\":\"nope\",\"url\":\"https://crm.example.com/\",\"events\":[\"call.started\"]}", "site"},
                {"{\"url\":\"https://crm.example.com/\",\"events\":[\"call.started\"]}", "site"}};
        for (String[] b : bad) {
            given().contentType("application/json").body(b[0]).when().post("/v1/webhooks").then().statusCode(400)
                    .contentType("application/problem+json").body("field", equalTo(b[1]));
        }
        when().get("/v1/webhooks/999999/deliveries").then().statusCode(404);
        when().post("/v1/webhooks/deliveries/999999/replay").then().statusCode(404);
        when().delete("/v1/webhooks/999999").then().statusCode(404);
    }
}
