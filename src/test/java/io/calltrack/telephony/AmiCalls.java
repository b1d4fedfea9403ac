package io.calltrack.telephony;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads what the AMI listener wrote: the calls of one replay (their ids start with its system name). */
final class AmiCalls {

    private AmiCalls() {
    }

    static List<Row> of(Pool db, String system) {
        List<Row> out = new ArrayList<>();
        db.preparedQuery("SELECT * FROM calls WHERE pbx = 'lab-pbx' AND linkedid LIKE $1 ORDER BY started_at, id")
                .execute(Tuple.of(system + "%")).await().indefinitely().forEach(out::add);
        return out;
    }

    /** Waits until the replay has {@code count} calls, all hung up. */
    static List<Row> awaitEnded(Pool db, String system, int count, Duration timeout) throws InterruptedException {
        Instant until = Instant.now().plus(timeout);
        while (true) {
            List<Row> rows = of(db, system);
            if (rows.size() >= count && rows.stream().allMatch(r -> r.getValue("ended_at") != null)) {
                return rows;
            }
            if (Instant.now().isAfter(until)) {
                throw new AssertionError("after " + timeout + " the replay " + system + " has " + rows.size()
                        + " calls, ended: " + rows.stream().map(r -> r.getValue("ended_at")).toList());
            }
            Thread.sleep(50);
        }
    }
}
