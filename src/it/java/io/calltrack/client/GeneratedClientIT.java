package io.calltrack.client;

import com.sun.net.httpserver.HttpServer;
import io.calltrack.client.api.AdminApiKeysApi;
import io.calltrack.client.api.CallsApi;
import io.calltrack.client.api.SessionsPublicApi;
import io.calltrack.client.api.WebhooksApi;
import io.calltrack.client.model.Call;
import io.calltrack.client.model.CallEvent;
import io.calltrack.client.model.CallPage;
import io.calltrack.client.model.CreatedApiKey;
import io.calltrack.client.model.CreatedWebhook;
import io.calltrack.client.model.NewApiKey;
import io.calltrack.client.model.NewWebhook;
import io.calltrack.client.model.OutcomeRequest;
import io.calltrack.client.model.Role;
import io.calltrack.client.model.SessionRequest;
import io.calltrack.client.model.SessionResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CRM integration as a developer does it: with the Java client OpenAPI Generator made (at build time, native
 * library) from the document the packaged service serves, against the packaged service (embedded PostgreSQL and
 * Redis, the shipped number-pool.yaml).
 */
class GeneratedClientIT {

    private static final int PORT = 18097;
    private static final String ADMIN_KEY = "ct_generated_client_admin_key_0123456789";
    private static final String BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
    private static final Path CLIENT = Path.of("target/generated-client");

    private static Process service;
    private static Path data;

    @BeforeAll
    static void start() throws Exception {
        data = Files.createTempDirectory("calltrack-client-it");
        ProcessBuilder pb = new ProcessBuilder("java", "-jar", "target/quarkus-app/quarkus-run.jar")
                .redirectErrorStream(true).redirectOutput(data.resolve("service.log").toFile());
        pb.environment().remove("CALLTRACK_DB_URL");
        pb.environment().remove("CALLTRACK_REDIS_URL");
        pb.environment().put("CALLTRACK_DATA_DIR", data.resolve("data").toString());
        pb.environment().put("PORT", String.valueOf(PORT));
        pb.environment().put("CALLTRACK_ADMIN_KEY", ADMIN_KEY);
        service = pb.start();
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> service.isAlive()
                && http.send(HttpRequest.newBuilder(URI.create(api() + "/q/health/ready")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) {
            service.destroy();
            service.waitFor();
        }
    }

    private static String api() {
        return "http://127.0.0.1:" + PORT;
    }

    /** A client for the service with an API key (null: none), as a CRM configures the generated one. */
    private static ApiClient client(String key) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(api());
        client.setRequestInterceptor(request -> {
            request.header("User-Agent", BROWSER);
            if (key != null) {
                request.header("Authorization", "Bearer " + key);
            }
        });
        return client;
    }

    @Test
    void theGeneratorWarnsAboutNothingInTheDocument() throws IOException {
        List<String> log = Files.readAllLines(CLIENT.resolve("generator.log"));
        List<String> warnings = log.stream().filter(l -> l.contains("WARN") || l.contains("ERROR"))
                // about the generator itself, not the document: it is said of any OpenAPI 3.1 document
                .filter(l -> !l.contains("OpenAPI 3.1 support is still in beta")).toList();
        assertTrue(log.stream().anyMatch(l -> l.contains("CallsApi.java")), "the generator ran: " + log.size() + " lines");
        assertEquals(List.of(), warnings);
    }

    @Test
    void aCrmIntegratesThroughTheGeneratedClient() throws Exception {
        ApiClient admin = client(ADMIN_KEY);
        AdminApiKeysApi keys = new AdminApiKeysApi(admin);
        // a key for one site's call events, and one to manage that site's webhooks
        CreatedApiKey writer = keys.createApiKey(new NewApiKey().name("crm ingest").role(Role.WRITE).site("demo"));
        CreatedApiKey siteAdmin = keys.createApiKey(new NewApiKey().name("crm hooks").role(Role.ADMIN).site("demo"));
        assertEquals(Role.WRITE, writer.getKey().getRole());
        CallsApi calls = new CallsApi(client(writer.getSecret()));

        // a webhook receiver, subscribed through the generated client
        Map<String, String> received = new ConcurrentHashMap<>();
        List<String> signatures = new ArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            signatures.add(exchange.getRequestHeaders().getFirst("Calltrack-Timestamp") + "|"
                    + exchange.getRequestHeaders().getFirst("Calltrack-Signature") + "|" + body);
            received.put(exchange.getRequestHeaders().getFirst("Calltrack-Event"), body);
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        WebhooksApi hooks = new WebhooksApi(client(siteAdmin.getSecret()));
        try {
            CreatedWebhook hook = hooks.createWebhook(new NewWebhook().url("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook")
                    .events(List.of("call.completed", "call.outcome")));
            assertEquals("demo", hook.getWebhook().getSite());

            // a visit from a paid click, as the script starts it
            SessionResponse visit = new SessionsPublicApi(client(null)).startSession(new SessionRequest().siteKey("demo")
                    .visitorId(UUID.randomUUID().toString().replace("-", "")).referrer("https://www.bing.com/")
                    .url("http://localhost/pipes?utm_source=bing&utm_medium=cpc&utm_term=burst+pipe&utm_content=ad-2&msclkid=MS1"));
            String number = visit.getNumbers().get(0).getNumber();
            assertTrue(visit.getNumbers().get(0).getLeased(), "a dynamic number: " + visit);

            // incremental sync starts from a stored position
            OffsetDateTime since = OffsetDateTime.now().minusMinutes(1);
            CallPage first = calls.listCalls(CallsApi.APIListCallsRequest.newBuilder().updatedSince(since).build());
            String cursor = first.getNextCursor();
            assertNotNull(cursor);

            // the call: ring, answer, hang-up, through the site's write key
            String external = "crm-" + UUID.randomUUID();
            long id = calls.recordCallEvents(new CallEvent().source("crm").externalId(external).type(CallEvent.TypeEnum.START)
                    .did(number).caller("+79161234567")).getCallId();
            calls.recordCallEvents(new CallEvent().source("crm").externalId(external).type(CallEvent.TypeEnum.ANSWER));
            calls.recordCallEvents(new CallEvent().source("crm").externalId(external).type(CallEvent.TypeEnum.END));

            CallPage next = calls.listCalls(CallsApi.APIListCallsRequest.newBuilder().cursor(cursor).build());
            Call synced = next.getItems().stream().filter(c -> c.getId() == id).findFirst().orElseThrow();
            assertEquals("burst pipe", synced.getAttribution().getKeyword());
            assertEquals("ad-2", synced.getAttribution().getContent());
            assertEquals("MS1", synced.getAttribution().getMsclkid());
            assertEquals(Call.DispositionEnum.ANSWERED, synced.getDisposition());
            assertNotNull(synced.getAttribution().getVisitorId());
            String afterCall = next.getNextCursor();

            // what the call became; idempotent
            OutcomeRequest deal = new OutcomeRequest().status(OutcomeRequest.StatusEnum.DEAL).value(new BigDecimal("9000")).currency("RUB");
            Call withOutcome = calls.setCallOutcome(id, deal);
            assertEquals(io.calltrack.client.model.CallOutcome.StatusEnum.DEAL, withOutcome.getOutcome().getStatus());
            calls.setCallOutcome(id, deal);
            CallPage changes = calls.listCalls(CallsApi.APIListCallsRequest.newBuilder().cursor(afterCall).build());
            assertEquals(List.of(id), changes.getItems().stream().map(Call::getId).toList(), "the outcome is one change, seen once");
            CallPage nothing = calls.listCalls(CallsApi.APIListCallsRequest.newBuilder().cursor(changes.getNextCursor()).build());
            assertEquals(List.of(), nothing.getItems());

            // the webhooks arrive, signed with the secret the subscription answered
            await().atMost(Duration.ofSeconds(30)).until(() -> received.containsKey("call.completed") && received.containsKey("call.outcome"));
            for (String s : signatures) {
                String[] parts = s.split("\\|", 3);
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(hook.getSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                String expected = "v1=" + HexFormat.of().formatHex(mac.doFinal((parts[0] + "." + parts[2]).getBytes(StandardCharsets.UTF_8)));
                assertEquals(expected, parts[1]);
            }
            assertTrue(received.get("call.outcome").contains("\"DEAL\""), received.get("call.outcome"));

            hooks.deleteWebhook(hook.getWebhook().getId());
            assertFalse(hooks.listWebhooks().stream().anyMatch(w -> w.getId().equals(hook.getWebhook().getId())));
        } finally {
            receiver.stop(0);
        }

        // revoked: refused from then on
        keys.revokeApiKey(writer.getKey().getId());
        ApiException refused = assertThrows(ApiException.class,
                () -> calls.listCalls(CallsApi.APIListCallsRequest.newBuilder().build()));
        assertEquals(401, refused.getCode());
    }
}
