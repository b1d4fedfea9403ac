package io.calltrack.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.Clocks;
import io.calltrack.web.Text;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The parked_writes table: log entries PostgreSQL refused on their own (a poison entry), set aside so the
 * rest of their batch is written, counted in {@code calltrack_writes_parked_total} (Prometheus) and listed for admins.
 */
@ApplicationScoped
public class ParkedWrites {

    private static final Logger LOG = Logger.getLogger(ParkedWrites.class);

    private final Pool db;
    private final ObjectMapper json;
    private final MeterRegistry metrics;

    ParkedWrites(Pool db, ObjectMapper json, MeterRegistry metrics) {
        this.db = db;
        this.json = json;
        this.metrics = metrics;
    }

    /** A parked entry as an admin sees it. */
    @Schema(name = "ParkedWrite")
    public record Parked(@Schema(examples = "17") long id,
                         @Schema(description = "the Redis stream it was logged to", examples = "ct:{site:demo}:visits") String stream,
                         @Schema(description = "its id in that stream", examples = "1796136306896-0") String entryId,
                         @Schema(description = "the entry as logged, as JSON", examples = "{\"j\": \"{\\\"id\\\": ...}\"}") String payload,
                         @Schema(description = "why the database refused it",
                                 examples = "ERROR: invalid byte sequence for encoding \"UTF8\": 0x00") String error,
                         Instant parkedAt) {
    }

    /**
     * Whether a failed write is the data's fault, so that writing the same entries again would fail again: the
     * database refused a value (SQLSTATE class 22 data exception, 23 integrity, 54 a limit such as an index
     * row's size) or the entry could not be read. An outage, a timeout or anything else is not: the batch
     * waits and is tried again whole.
     */
    static boolean isPoison(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof PgException pg) {
                String state = String.valueOf(pg.getSqlState());
                return state.startsWith("22") || state.startsWith("23") || state.startsWith("54");
            }
            if (e instanceof NumberFormatException || e instanceof IndexOutOfBoundsException
                    || e instanceof JsonProcessingException) {
                return true;
            }
        }
        return false;
    }

    Uni<Void> park(String stream, StreamMessage<String, String, String> entry, Throwable failure) {
        byte[] payload;
        try {
            payload = json.writeValueAsBytes(entry.payload());
        } catch (JsonProcessingException e) {
            payload = String.valueOf(entry.payload()).getBytes(StandardCharsets.UTF_8);
        }
        // the reason without the reader's internals (a JSON error's own message names classes and positions)
        String error = Text.storable(failure instanceof JsonProcessingException json
                ? "unreadable entry: " + json.getOriginalMessage() : String.valueOf(failure.getMessage()));
        LOG.warnf("parked entry %s of %s, which the database refuses (%s); the rest of its batch is written",
                entry.id(), stream, error);
        String kind = stream.substring(stream.lastIndexOf(':') + 1);
        return db.preparedQuery("INSERT INTO parked_writes (stream, entry_id, payload, error) VALUES ($1, $2, $3, $4)")
                .execute(Tuple.of(stream, entry.id(), io.vertx.core.buffer.Buffer.buffer(payload), error))
                .invoke(() -> metrics.counter("calltrack.writes.parked", "log", kind).increment())
                .replaceWithVoid();
    }

    public Uni<List<Parked>> latest(int limit) {
        return db.preparedQuery("SELECT id, stream, entry_id, payload, error, parked_at FROM parked_writes "
                        + "ORDER BY parked_at DESC, id DESC LIMIT $1")
                .execute(Tuple.of(limit)).map(rows -> {
                    List<Parked> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new Parked(r.getLong("id"), r.getString("stream"), r.getString("entry_id"),
                                new String(r.getBuffer("payload").getBytes(), StandardCharsets.UTF_8),
                                r.getString("error"), Clocks.instant(r, "parked_at")));
                    }
                    return out;
                });
    }
}
