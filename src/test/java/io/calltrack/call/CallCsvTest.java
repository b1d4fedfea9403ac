package io.calltrack.call;

import io.calltrack.support.Api;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import static io.calltrack.support.Api.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET /v1/calls.csv: every matching call, streamed with backpressure, quoted and defused for spreadsheets. */
@QuarkusTest
class CallCsvTest {

    @Inject
    Pool db;

    @TestHTTPResource("/v1/calls.csv")
    URL csv;

    @Test
    void aHundredThousandCallsStreamPageByPage() throws Exception {
        String pbx = "csv-" + System.nanoTime();
        // fat rows (~600 bytes of CSV each): 100k of them are far more than the socket buffers can hold
        db.preparedQuery("""
                INSERT INTO calls (pbx, linkedid, did, caller, started_at, disposition, site_key, source, landing_url)
                SELECT $1, 'l' || g, '+74951110001', '+7916' || lpad(g::text, 7, '0'),
                       timestamptz '2026-10-01 00:00Z' + g * interval '1 second', 'ANSWERED', 'demo', 'google',
                       'https://demo.example/landing?utm_campaign=' || repeat('x', 500)
                FROM generate_series(1, 100000) g""").execute(Tuple.of(pbx)).await().indefinitely();

        long before = rowsExported();
        HttpURLConnection conn = (HttpURLConnection) new URL(csv + "?pbx=" + pbx).openConnection();
        conn.setRequestProperty("Authorization", "Bearer " + Api.ADMIN_KEY);
        assertEquals(200, conn.getResponseCode());
        assertEquals(-1, conn.getContentLengthLong(), "streamed (chunked), not built whole with a length");
        try (var in = new BufferedReader(new InputStreamReader(conn.getInputStream(), StandardCharsets.UTF_8))) {
            assertTrue(in.readLine().startsWith("id,started_at,answered_at,ended_at,disposition,did,caller"));
            Thread.sleep(1500); // the reader stalls
            long afterStall = rowsExported() - before;
            assertTrue(afterStall < 100_000, "a reader that stops reading stops the export (" + afterStall + " rows read from the database)");
            AtomicLong lines = new AtomicLong();
            String previous = null;
            for (String line; (line = in.readLine()) != null; ) {
                lines.incrementAndGet();
                previous = line;
            }
            assertEquals(100_000, lines.get(), "every call once");
            assertTrue(previous.startsWith(String.valueOf(firstId(pbx))), "newest first, so the oldest call comes last");
        }
    }

    private static long rowsExported() {
        return (long) io.micrometer.core.instrument.Metrics.globalRegistry.find("calltrack.calls.exported").counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    private long firstId(String pbx) {
        return db.preparedQuery("SELECT min(id) FROM calls WHERE pbx = $1").execute(Tuple.of(pbx)).await().indefinitely()
                .iterator().next().getLong(0);
    }

    @Test
    void limitCapsTheRows() {
        String pbx = "csvl-" + System.nanoTime();
        db.preparedQuery("""
                INSERT INTO calls (pbx, linkedid, did, started_at, disposition, site_key)
                SELECT $1, 'l' || g, '+74951110001', timestamptz '2026-10-03 00:00Z' + g * interval '1 minute', 'ANSWERED', 'demo'
                FROM generate_series(1, 5) g""").execute(Tuple.of(pbx)).await().indefinitely();
        String limited = given().queryParam("pbx", pbx).queryParam("limit", 2).when().get("/v1/calls.csv").then()
                .statusCode(200).extract().asString();
        assertEquals(3, limited.split("\r\n").length, "the header and the 2 newest calls: " + limited);
        assertTrue(limited.contains(",l5,") || limited.contains("l5"), limited);
        String all = given().queryParam("pbx", pbx).when().get("/v1/calls.csv").then().statusCode(200).extract().asString();
        assertEquals(6, all.split("\r\n").length, "without limit, every matching call");
    }

    @Test
    void textIsQuotedAndFormulasDefused() {
        String pbx = "csvq-" + System.nanoTime();
        db.preparedQuery("""
                INSERT INTO calls (pbx, linkedid, did, caller, caller_name, started_at, disposition, site_key, keyword, campaign,
                                   probability)
                VALUES ($1, 'q1', '+74951110001', '+79160000003', 'Petrov, "Ivan"', timestamptz '2026-10-02 10:00Z',
                        'ANSWERED', 'demo', '=HYPERLINK("http://evil")', '+sale', 0.8765)""").execute(Tuple.of(pbx)).await().indefinitely();
        String body = given().queryParam("pbx", pbx).when().get("/v1/calls.csv").then().statusCode(200)
                .contentType(containsString("text/csv")).header("Content-Disposition", containsString("calls.csv"))
                .extract().asString();
        String row = body.split("\r\n")[1];
        assertTrue(row.contains(",+74951110001,+79160000003,\"Petrov, \"\"Ivan\"\"\","), row);
        assertTrue(row.contains(",,'+sale,\"'=HYPERLINK(\"\"http://evil\"\")\","), row);
        assertTrue(row.contains(",2026-10-02T10:00:00Z,"), row);
        assertTrue(body.split("\r\n")[0].endsWith(",probability,outcome_lost_reason,probability_revise_at"),
                "new columns come last: " + body.split("\r\n")[0]);
        assertTrue(row.endsWith(",0.8765,,"), "no revision due: final; " + row);
        given().queryParam("from", "last week").when().get("/v1/calls.csv").then().statusCode(400).body("field", equalTo("from"));
    }
}
