package io.calltrack.pool;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

import java.util.List;

/**
 * Where the visit records that ride on lease-log entries are stored (the session feature implements
 * it), in the same transaction as the leases they came with.
 */
public interface VisitSink {

    Uni<Void> store(SqlClient tx, List<String> visitsJson);
}
