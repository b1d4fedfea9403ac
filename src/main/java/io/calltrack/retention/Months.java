package io.calltrack.retention;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;

import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static io.calltrack.Clocks.monthStart;

/**
 * The monthly partitions (UTC months of their start) of the two tables that grow with traffic: visits
 * ({@code sessions}) and leases. Each month's partition is named table_YYYY_MM; rows of a month that has none
 * yet are held by the table's default partition.
 */
final class Months {

    /** The partitioned tables; a month has a partition of each. */
    static final List<String> TABLES = List.of("sessions", "leases");
    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyy_MM");

    private Months() {
    }

    static String partition(String table, YearMonth month) {
        return table + "_" + month.format(SUFFIX);
    }

    /** A live lease is updated about once a minute: its pages keep room for a HOT update (as the migration made them). */
    private static String storage(String table) {
        return table.equals("leases") ? " WITH (fillfactor = 70)" : "";
    }

    private static String bounds(YearMonth month) {
        return "FOR VALUES FROM ('" + monthStart(month) + "') TO ('" + monthStart(month.plusMonths(1)) + "')";
    }

    /** The months that have partitions of every table. */
    static Uni<Set<YearMonth>> existing(SqlConnection conn) {
        return conn.preparedQuery("""
                SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
                WHERE p.relname = 'sessions' AND c.relname ~ '^sessions_[0-9]{4}_[0-9]{2}$'""").execute().map(rows -> {
            Set<YearMonth> months = new TreeSet<>();
            for (Row r : rows) {
                months.add(YearMonth.parse(r.getString(0).substring("sessions_".length()), SUFFIX));
            }
            return months;
        });
    }

    /** The months of the rows the default partitions hold (none, unless a month's partition was not made in time). */
    static Uni<Set<YearMonth>> inDefault(SqlConnection conn) {
        return conn.query("""
                SELECT DISTINCT to_char(started_at AT TIME ZONE 'UTC', 'YYYY_MM') AS m FROM sessions_default
                UNION SELECT DISTINCT to_char(started_at AT TIME ZONE 'UTC', 'YYYY_MM') FROM leases_default""").execute().map(rows -> {
            Set<YearMonth> months = new TreeSet<>();
            for (Row r : rows) {
                months.add(YearMonth.parse(r.getString("m"), SUFFIX));
            }
            return months;
        });
    }

    /**
     * Makes a month's partition of each table, moving into it the rows of that month the default partition holds
     * (a partition cannot be made while the default holds rows of its range). Within the caller's transaction: a
     * row written to the default meanwhile makes it fail, to be tried again on the next run.
     */
    static Uni<Void> make(SqlConnection conn, YearMonth month) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (String table : TABLES) {
            String range = "started_at >= '" + monthStart(month) + "' AND started_at < '" + monthStart(month.plusMonths(1)) + "'";
            chain = chain
                    .chain(() -> conn.query("CREATE TEMP TABLE moving (LIKE " + table + ") ON COMMIT DROP").execute())
                    .chain(() -> conn.query("WITH d AS (DELETE FROM " + table + "_default WHERE " + range + " RETURNING *) "
                            + "INSERT INTO moving SELECT * FROM d").execute())
                    .chain(() -> conn.query("CREATE TABLE " + partition(table, month) + " PARTITION OF " + table + " " + bounds(month)
                            + storage(table)).execute())
                    .chain(() -> conn.query("INSERT INTO " + table + " SELECT * FROM moving").execute())
                    .chain(() -> conn.query("DROP TABLE moving").execute())
                    .replaceWithVoid();
        }
        return chain;
    }

    /**
     * Replaces a month's partition of {@code table} by one holding only the rows of temporary table {@code kept}
     * (same columns): the month's other rows go with the dropped partition, at the cost of a drop rather than a
     * delete of each.
     */
    static Uni<Void> replace(SqlConnection conn, String table, YearMonth month, String kept) {
        String name = partition(table, month);
        return conn.query("DROP TABLE " + name).execute()
                .chain(() -> conn.query("CREATE TABLE " + name + " PARTITION OF " + table + " " + bounds(month) + storage(table)).execute())
                .chain(() -> conn.query("INSERT INTO " + name + " SELECT * FROM " + kept).execute())
                .replaceWithVoid();
    }
}
