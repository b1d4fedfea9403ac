package io.calltrack.pool;

import io.calltrack.embedded.EmbeddedServices;
import org.flywaydb.core.Flyway;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The lease history's write load as a live site makes it: every minute new leases start, every live lease
 * logs its last activity (the script pings while the page is visible) and the oldest end. Rows go through
 * the writer's own upsert, in the writer's batch size, into the migrated leases table and, as the
 * baseline, into a copy of it with PostgreSQL's default page fill (100 %); the two take turns minute by
 * minute, so the machine's noise falls on both alike.
 */
public final class LeaseHistoryBench {

    private static final int BATCH = 2_000;

    public static void main(String[] args) throws Exception {
        int minutes = Integer.parseInt(args.length > 0 ? args[0] : "120");
        int perMinute = Integer.parseInt(args.length > 1 ? args[1] : "1000");
        int life = Integer.parseInt(args.length > 2 ? args[2] : "10");
        // a throwaway cluster, deleted on close: a full run leaves over a gigabyte of tables and WAL
        try (EmbeddedServices.Running pg = EmbeddedServices.startPostgres(null)) {
            String url = "jdbc:" + pg.url();
            Flyway.configure().dataSource(url, pg.user(), "").locations("classpath:db/migration").load().migrate();
            try (Connection migrated = DriverManager.getConnection(url, pg.user(), "");
                 Connection baseline = DriverManager.getConnection(url, pg.user(), "")) {
                try (Statement s = baseline.createStatement()) {
                    s.execute("CREATE SCHEMA baseline");
                    s.execute("CREATE TABLE baseline.leases (LIKE public.leases INCLUDING ALL) WITH (fillfactor = 100)");
                    s.execute("SET search_path = baseline");
                }
                System.out.printf(Locale.ROOT, "lease history: %d leases a minute for %d minutes, each live %d minutes with a "
                        + "last-activity line a minute, through the writer's upsert%n", perMinute, minutes, life);
                long[] nanos = new long[2];
                long lines = 0;
                for (int minute = 0; minute < minutes; minute++) {
                    List<Object[]> minuteOfLines = minuteOfLines(minute, perMinute, life);
                    nanos[0] += upsert(baseline, minuteOfLines);
                    nanos[1] += upsert(migrated, minuteOfLines);
                    lines += minuteOfLines.size();
                }
                report("baseline: default fill (100 %)", baseline, "baseline", nanos[0], lines);
                report("leases as migrated", migrated, "public", nanos[1], lines);
                System.out.printf(Locale.ROOT, "  migrated / baseline time: %.2f%n", (double) nanos[1] / nanos[0]);
            }
        }
        System.exit(0);
    }

    /** Minute m's lines: leases started m - life end, those started since log activity, m's new ones start. */
    private static List<Object[]> minuteOfLines(int minute, int perMinute, int life) {
        List<Object[]> lines = new ArrayList<>();
        long t0 = 1_795_000_000_000L;
        long now = t0 + minute * 60_000L;
        for (int started = Math.max(0, minute - life); started <= minute; started++) {
            long startMs = t0 + started * 60_000L;
            Long end = started == minute - life ? now : null;
            for (int i = 0; i < perMinute; i++) {
                // session ids begin with their start time, as the service makes them
                String session = String.format(Locale.ROOT, "%08d%06d~bench", started, i);
                String number = "+1646" + String.format(Locale.ROOT, "%07d", (started * 7919L + i * 104_729L) % 100_000);
                lines.add(new Object[]{"bench", number, session, "v" + started + "-" + i, startMs, now, end, false});
            }
        }
        return lines;
    }

    private static long upsert(Connection db, List<Object[]> lines) throws SQLException {
        String sql = LeaseLog.UPSERT.replaceAll("\\$\\d+", "?");
        long start = System.nanoTime();
        for (int from = 0; from < lines.size(); from += BATCH) {
            List<Object[]> batch = lines.subList(from, Math.min(lines.size(), from + BATCH));
            try (PreparedStatement ps = db.prepareStatement(sql)) {
                String[] types = {"text", "text", "text", "text", "bigint", "bigint", "bigint", "bool"};
                for (int c = 0; c < types.length; c++) {
                    Object[] column = new Object[batch.size()];
                    for (int r = 0; r < batch.size(); r++) {
                        column[r] = batch.get(r)[c];
                    }
                    ps.setArray(c + 1, db.createArrayOf(types[c], column));
                }
                ps.execute();
            }
        }
        return System.nanoTime() - start;
    }

    private static void report(String name, Connection db, String schema, long nanos, long lines) throws Exception {
        try (Statement s = db.createStatement()) {
            s.execute("SELECT pg_stat_force_next_flush()"); // table statistics reach the view once the session idles
        }
        Thread.sleep(200);
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("""
                SELECT sum(n_tup_upd), sum(n_tup_hot_upd), sum(pg_total_relation_size(relid))::bigint FROM pg_stat_user_tables
                WHERE relid = '%1$s.leases'::regclass OR relid IN (SELECT relid FROM pg_partition_tree('%1$s.leases'))""".formatted(schema))) {
            r.next();
            double seconds = nanos / 1e9;
            System.out.printf(Locale.ROOT, "  %-32s %,d lines in %6.1f s  %9.0f lines/s  HOT updates %3.0f %%  table + indexes %5d MB%n",
                    name, lines, seconds, lines / seconds, 100.0 * r.getLong(2) / Math.max(1, r.getLong(1)), r.getLong(3) >> 20);
        }
    }
}
