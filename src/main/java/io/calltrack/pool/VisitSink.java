package io.calltrack.pool;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

import java.util.List;

/**
 * Where the visit records that ride on lease-log entries are stored (the session feature implements
 * it), in the same transaction as the leases they came with.
 */
public interface VisitSink {

    /** A visit's record as logged (JSON), with the pool and number of the lease it came with (or null). */
    record Visit(String json, String poolId, String number) {
    }

    Uni<Void> store(SqlClient tx, List<Visit> visits);
}
