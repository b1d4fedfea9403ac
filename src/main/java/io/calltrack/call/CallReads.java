package io.calltrack.call;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** Calls as the API shows them, for features that report on calls they were told about (webhooks). */
@ApplicationScoped
public class CallReads {

    private final Pool db;

    CallReads(Pool db) {
        this.db = db;
    }

    /** The calls of these ids that exist, by id. */
    public Uni<Map<Long, CallView>> byIds(Collection<Long> ids) {
        return db.preparedQuery("SELECT * FROM calls WHERE id = ANY($1)").execute(Tuple.of(ids.toArray(Long[]::new))).map(rows -> {
            Map<Long, CallView> calls = new HashMap<>();
            for (Row r : rows) {
                calls.put(r.getLong("id"), CallView.of(r));
            }
            return calls;
        });
    }
}
