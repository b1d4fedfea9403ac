package io.calltrack.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.call.CallReads;
import io.calltrack.call.CallView;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Sends the deliveries of call changes. Each poll first queues the changes the call log has noted since
 * ({@link WebhookFanOut}), then claims the due deliveries (SKIP LOCKED, so replicas share the work
 * and never send one twice at once; a claim lapses after {@link #CLAIM_FOR} if its replica dies), posts them
 * in parallel, and records the outcome: 2xx is delivered; anything else is retried with exponential backoff
 * until 24 hours after the event, then parked for a replay.
 */
@ApplicationScoped
public class WebhookDispatcher {

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    static final Duration CLAIM_FOR = Duration.ofMinutes(2);

    private static final String CLAIM = """
            UPDATE webhook_deliveries d SET attempts = d.attempts + 1, next_attempt_at = now() + interval '%d seconds'
            FROM webhooks w
            WHERE w.id = d.webhook_id AND d.id IN (
                SELECT id FROM webhook_deliveries WHERE state = 'PENDING' AND next_attempt_at <= now()
                ORDER BY next_attempt_at, id LIMIT 200 FOR UPDATE SKIP LOCKED)
            RETURNING d.id, d.event, d.call_id, d.occurred_at, d.attempts, w.url, w.secret""".formatted(CLAIM_FOR.toSeconds());

    private final Pool db;
    private final WebhookFanOut fanOut;
    private final CallReads calls;
    private final ObjectMapper json;
    private final Duration backoffMin;
    private final Duration backoffMax;
    private final Duration timeout;
    private final HttpClient http;
    private volatile Instant lastWarning;

    WebhookDispatcher(Pool db, WebhookFanOut fanOut, CallReads calls, ObjectMapper json, WebhookConfig settings) {
        this.db = db;
        this.fanOut = fanOut;
        this.calls = calls;
        this.json = json;
        this.backoffMin = settings.backoffMin();
        this.backoffMax = settings.backoffMax();
        this.timeout = settings.timeout();
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    private record Claimed(long id, String event, long callId, Instant occurredAt, int attempts, String url, String secret) {
    }

    @Scheduled(every = "${calltrack.webhooks.poll}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> deliverDue() {
        return fanOut.run().chain(() -> db.query(CLAIM).execute()).chain(rows -> {
            List<Claimed> due = new ArrayList<>();
            rows.forEach(r -> due.add(new Claimed(r.getLong("id"), r.getString("event"), r.getLong("call_id"),
                    r.getOffsetDateTime("occurred_at").toInstant(), r.getInteger("attempts"), r.getString("url"),
                    r.getString("secret"))));
            if (due.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            return calls.byIds(due.stream().map(Claimed::callId).distinct().toList()).chain(views -> Uni.join()
                    .all(due.stream().map(d -> send(d, views.get(d.callId()))).toList()).andCollectFailures().replaceWithVoid());
        }).onFailure().recoverWithUni(e -> {
            // polled every second: during a database outage, say so once a minute, not every second
            Instant now = Instant.now();
            if (lastWarning == null || now.isAfter(lastWarning.plus(Duration.ofMinutes(1)))) {
                lastWarning = now;
                LOG.warnf("webhook deliveries not sent for now (%s); they are kept and retried", e.toString());
            }
            return Uni.createFrom().voidItem();
        });
    }

    private Uni<Void> send(Claimed d, CallView call) {
        String body;
        try {
            body = json.writeValueAsString(new WebhookEvent(d.id(), d.event(), d.occurredAt(), call));
        } catch (JsonProcessingException e) {
            return failed(d, null, "payload: " + e.getOriginalMessage());
        }
        // the receiver checks this against its own wall clock, whatever time this service is told it is
        long timestamp = Instant.now().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(URI.create(d.url())).timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "Calltrack-Webhooks/1")
                .header("Calltrack-Event", d.event())
                .header("Calltrack-Delivery", String.valueOf(d.id()))
                .header("Calltrack-Timestamp", String.valueOf(timestamp))
                .header("Calltrack-Signature", WebhookSignature.sign(d.secret(), timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return Uni.createFrom().completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.discarding()))
                .onItemOrFailure().transformToUni((response, error) -> {
                    if (error != null) {
                        return failed(d, null, error.getClass().getSimpleName()
                                + (error.getMessage() == null ? "" : ": " + error.getMessage()));
                    }
                    int status = response.statusCode();
                    return status / 100 == 2 ? delivered(d, status) : failed(d, status, "HTTP " + status);
                });
    }

    private Uni<Void> delivered(Claimed d, int status) {
        return db.preparedQuery("""
                UPDATE webhook_deliveries SET state = 'DELIVERED', delivered_at = now(), last_status = $2, last_error = NULL
                WHERE id = $1""").execute(Tuple.of(d.id(), status)).replaceWithVoid();
    }

    /** Due again after the backoff, or parked if that would be past its 24 hours. */
    private Uni<Void> failed(Claimed d, Integer status, String error) {
        double wait = backoff(d.attempts()).toMillis() / 1000.0;
        return db.preparedQuery("""
                UPDATE webhook_deliveries SET last_status = $2, last_error = left($3, 500),
                       state = CASE WHEN now() + make_interval(secs => $4) > retry_until THEN 'PARKED' ELSE 'PENDING' END,
                       next_attempt_at = now() + make_interval(secs => $4)
                WHERE id = $1""").execute(Tuple.of(d.id(), status, error, wait)).replaceWithVoid();
    }

    /** Doubles from the minimum at each attempt, up to the maximum, with ±20% jitter so retries spread out. */
    Duration backoff(int attempts) {
        double base = backoffMin.toMillis() * Math.pow(2, Math.min(attempts - 1, 30));
        double capped = Math.min(base, backoffMax.toMillis());
        return Duration.ofMillis((long) (capped * ThreadLocalRandom.current().nextDouble(0.8, 1.2)));
    }
}
