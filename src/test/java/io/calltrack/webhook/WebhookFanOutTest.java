package io.calltrack.webhook;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static io.calltrack.support.Api.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The call log notes each change's events in its own feed; webhooks turn them into deliveries. Replicas (and polls)
 * taking from the feed at once queue each change once, for the subscriptions to its event that existed when it was made.
 */
@QuarkusTest
class WebhookFanOutTest {

    @Inject
    Pool db;
    @Inject
    WebhookFanOut fanOut;

    private static long subscribe(String events) {
        return given().contentType("application/json")
                .body("{\"site\":\"demo\",\"url\":\"http://127.0.0.1:9/fan-out\",\"events\":" + events + "}")
                .when().post("/v1/webhooks").then().statusCode(201).extract().jsonPath().getLong("webhook.id");
    }

    private static long call(String id, String type) {
        return given().contentType("application/json").body("{\"source\":\"fan-out\",\"externalId\":\"" + id
                        + "\",\"type\":\"" + type + "\",\"did\":\"+74952000001\",\"caller\":\"+79160000078\"}")
                .when().post("/v1/calls/events").then().statusCode(200).extract().jsonPath().getLong("callId");
    }

    @Test
    void takenAtOnceByManyEachChangeIsQueuedOncePerSubscription() {
        long started = subscribe("[\"call.started\"]");
        long both = subscribe("[\"call.started\", \"call.completed\"]");
        long deleted = subscribe("[\"call.started\"]");
        given().when().delete("/v1/webhooks/" + deleted).then().statusCode(204);

        List<String> ids = IntStream.range(0, 40).mapToObj(i -> "fan-" + UUID.randomUUID()).toList();
        List<Long> calls = new ArrayList<>();
        for (String id : ids) {
            calls.add(call(id, "start"));
        }
        for (String id : ids.subList(0, 10)) {
            call(id, "end");
        }
        // four takers besides the scheduled poll
        CompletableFuture.allOf(IntStream.range(0, 4).mapToObj(i -> fanOut.run().subscribeAsCompletionStage())
                .toArray(CompletableFuture[]::new)).join();
        Long[] callIds = calls.toArray(Long[]::new);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> db.preparedQuery(
                        "SELECT count(*) AS n FROM call_changes WHERE call_id = ANY($1)").execute(Tuple.of(callIds))
                .await().indefinitely().iterator().next().getLong("n") == 0);
        long late = subscribe("[\"call.started\", \"call.completed\"]");

        Map<String, Long> queued = new HashMap<>();
        for (Row r : db.preparedQuery("""
                        SELECT webhook_id, event, count(*) AS n, count(DISTINCT call_id) AS calls FROM webhook_deliveries
                        WHERE call_id = ANY($1) GROUP BY webhook_id, event""")
                .execute(Tuple.of(callIds)).await().indefinitely()) {
            assertEquals(r.getLong("n"), r.getLong("calls"), "one delivery per call: " + r.toJson());
            queued.put(r.getLong("webhook_id") + " " + r.getString("event"), r.getLong("n"));
        }
        assertEquals(Map.of(started + " call.started", 40L, both + " call.started", 40L, both + " call.completed", 10L), queued,
                "not to the deleted one (" + deleted + ") nor the one made afterwards (" + late + ")");
    }
}
