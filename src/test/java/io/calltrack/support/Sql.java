package io.calltrack.support;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;

/** A statement run on the suite's database and its rows, for tests that set up or check tables directly. */
public final class Sql {

    private Sql() {
    }

    public static List<Row> rows(Pool db, String statement, Object... args) {
        List<Row> out = new ArrayList<>();
        db.preparedQuery(statement).execute(Tuple.from(args)).await().indefinitely().forEach(out::add);
        return out;
    }
}
