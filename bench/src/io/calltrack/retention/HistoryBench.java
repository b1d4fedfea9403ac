package io.calltrack.retention;

import io.calltrack.bench.BenchSupport;
import io.calltrack.Secrets;
import io.calltrack.VisitIdTime;
import io.calltrack.call.LeaseHolders;
import io.calltrack.embedded.EmbeddedServices;
import io.calltrack.pool.LeaseSpan;
import io.calltrack.session.VisitView;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import org.flywaydb.core.Flyway;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

import static io.calltrack.Clocks.monthStart;

/**
 * The visit history at scale: visits over many months of the partitioned tables (half of them paid traffic, each with
 * its lease on a number of its site's dynamic pool, numbers reused in turn as a pool does; the other half organic
 * and direct, shown a static number: no lease), generated in SQL a month at a time as a bulk load would be
 * (the month's tables filled, indexed, then attached). Measured once with the current month alone (the baseline,
 * same run) and again with every month: the writers' own statements (a batch of visits and the upsert of their
 * leases, as the service writes them), attribution's own reads for a ring on a random number (now, and in a past
 * month), a call's page (its visit by id, the visit's leases) for random past visits; then the oldest month pruned
 * as the service's retention does (calls on 3 % of its visits).
 *
 * args: visits months [samples]
 */
public final class HistoryBench {

    private static final String[] SITES = {"shop", "clinic", "law", "auto"};
    /** Each site's dynamic pool: numbers leased in turn, so each is reused every this many of the site's paid visits. */
    private static final int NUMBERS = 500;
    private static final int BATCH = 500;

    private HistoryBench() {
    }

    public static void main(String[] args) throws Exception {
        long visits = Long.parseLong(args[0]);
        int months = Integer.parseInt(args[1]);
        int samples = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        Path dir = Files.createTempDirectory("history-bench");
        try (EmbeddedServices.Running pg = EmbeddedServices.startPostgres(dir.resolve("postgres"))) {
            String url = "jdbc:" + pg.url();
            Flyway.configure().dataSource(url, pg.user(), "").locations("classpath:db/migration").load().migrate();
            Vertx vertx = Vertx.vertx();
            // the service's own reads (a call's visit and leases) and its keeper go through its client, as in the service
            Pool pool = Pool.newInstance(PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(pg.url()).setUser(pg.user()))
                    .with(new PoolOptions().setMaxSize(2)).using(vertx).build());
            try (Connection db = DriverManager.getConnection(url + "?prepareThreshold=0", pg.user(), "")) {
                run(db, pool, visits, months, samples, dir);
            } finally {
                pool.closeAndAwait();
                vertx.close().toCompletionStage().toCompletableFuture().get();
            }
        } finally {
            BenchSupport.deleteTree(dir);
        }
        System.exit(0);
    }

    private static void run(Connection db, Pool pool, long visits, int months, int samples, Path dir) throws Exception {
        try (Statement s = db.createStatement()) {
            // a bulk load's settings; the measured statements run with the defaults' durability (synchronous commit)
            s.execute("ALTER SYSTEM SET max_wal_size = '2GB'");
            s.execute("ALTER SYSTEM SET checkpoint_timeout = '30min'");
            s.execute("ALTER SYSTEM SET maintenance_work_mem = '512MB'");
            s.execute("SELECT pg_reload_conf()");
        }
        long perMonth = visits / months;
        YearMonth current = YearMonth.now(ZoneOffset.UTC);
        System.out.printf(Locale.ROOT, "Visit history: %,d visits over %d months (%,d a month, 4 sites; half paid traffic with a lease "
                + "from %d numbers a site), monthly partitions; %d samples per query%n", perMonth * months, months, perMonth, NUMBERS, samples);
        keep(pool, Instant.now(), Optional.empty()); // this month's partitions and the next ones, as the service makes them
        long t0 = System.nanoTime();
        fill(db, current, 0, perMonth, true);
        System.out.printf(Locale.ROOT, "  this month: %,d visits in %.0f s%n", perMonth, (System.nanoTime() - t0) / 1e9);
        Figures base = measure(db, pool, current, current, samples);
        t0 = System.nanoTime();
        for (int m = 1; m < months; m++) {
            fill(db, current.minusMonths(m), m * perMonth, perMonth, false);
            if (m % 6 == 0 || m == months - 1) {
                System.out.printf(Locale.ROOT, "  %d months, %,d visits, %.0f s%n", m + 1, (m + 1) * perMonth, (System.nanoTime() - t0) / 1e9);
            }
        }
        try (Statement s = db.createStatement()) {
            s.execute("VACUUM ANALYZE sessions");
            s.execute("VACUUM ANALYZE leases");
            System.out.printf(Locale.ROOT, "  sessions %s, leases %s (tables and indexes)%n", size(s, "sessions"), size(s, "leases"));
        }
        Figures all = measure(db, pool, current, current.minusMonths(months / 2), samples);
        System.out.printf(Locale.ROOT, "  %-52s %14s %14s %7s%n", "", String.format(Locale.ROOT, "%,d visits", perMonth),
                String.format(Locale.ROOT, "%,d visits", perMonth * months), "ratio");
        row("visit writes (visits + leases a second)", base.writesPerSecond, all.writesPerSecond, "%,.0f");
        for (int i = 0; i < Figures.NAMES.length; i++) {
            row(Figures.NAMES[i] + " p50 ms", base.p50[i], all.p50[i], "%.2f");
            row(Figures.NAMES[i] + " p99 ms", base.p99[i], all.p99[i], "%.2f");
        }
        prune(db, pool, current.minusMonths(months - 1), dir);
    }

    private static void row(String name, double base, double all, String format) {
        System.out.printf(Locale.ROOT, "  %-52s %14s %14s %7.2f%n", name, String.format(Locale.ROOT, format, base),
                String.format(Locale.ROOT, format, all), all / base);
    }

    private static String size(Statement s, String table) throws Exception {
        try (ResultSet r = s.executeQuery("SELECT pg_size_pretty(sum(pg_total_relation_size(inhrelid))) FROM pg_inherits "
                + "WHERE inhparent = '" + table + "'::regclass")) {
            r.next();
            return r.getString(1);
        }
    }

    /**
     * A month's visits and leases, g from {@code first}: visits evenly over the month, site by turn, each site's
     * numbers leased in turn (a 3-minute visit, then the pool's 15-minute hold). A past month is loaded into tables
     * of its own, indexed and attached, as a bulk load would; the current one through the partitioned tables.
     */
    private static void fill(Connection db, YearMonth month, long first, long n, boolean current) throws Exception {
        String visits = Months.partition("sessions", month), leases = Months.partition("leases", month);
        Instant start = monthStart(month).toInstant();
        double step = (monthStart(month.plusMonths(1)).toInstant().getEpochSecond() - start.getEpochSecond()) / (double) n;
        String at = "to_timestamp(" + start.getEpochSecond() + " + (g - " + first + ") * " + step + ")";
        String site = "(ARRAY['shop', 'clinic', 'law', 'auto'])[1 + g % 4]";
        String number = "'+1646' || (1 + g % 4) || lpad(((g / 8) % " + NUMBERS + ")::text, 6, '0')";
        // as the service makes them: the start's milliseconds (6 bytes), then 10 more (here the visit's number), in
        // URL-safe Base64, and the pool
        String id = "translate(rtrim(encode(substring(int8send((extract(epoch FROM " + at + ") * 1000)::bigint) FROM 3) "
                + "|| int8send(g) || '\\x0000'::bytea, 'base64'), '='), '+/', '-_') || CASE WHEN g % 8 < 4 THEN '~' || " + site
                + " || '-visits' ELSE '' END";
        try (Statement s = db.createStatement()) {
            if (!current) {
                s.execute("CREATE TABLE " + visits + " (LIKE sessions INCLUDING DEFAULTS)");
                s.execute("CREATE TABLE " + leases + " (LIKE leases INCLUDING DEFAULTS) WITH (fillfactor = 70)");
            }
            s.execute("INSERT INTO " + (current ? "sessions" : visits) + " (id, site_key, visitor_id, pool_id, number, started_at, last_seen_at, "
                    + "source, medium, campaign, keyword, landing_url, referrer, user_agent, ip) "
                    + "SELECT " + id + ", " + site + ", 'v' || (g % 40000000), CASE WHEN g % 8 < 4 THEN " + site + " || '-visits' ELSE "
                    + site + " || '-organic' END, CASE WHEN g % 8 < 4 THEN " + number + " ELSE '+1646799000' || (1 + g % 4) END, " + at + ", "
                    + at + " + interval '3 minutes', (ARRAY['google', 'yandex', 'bing', NULL])[1 + g % 7 % 4], "
                    + "CASE WHEN g % 8 < 4 THEN 'cpc' ELSE (ARRAY['organic', 'referral', NULL])[1 + g % 5 % 3] END, "
                    + "CASE WHEN g % 8 < 4 THEN 'spring-' || g % 20 END, CASE WHEN g % 8 < 4 THEN 'keyword ' || g % 20000 END, 'https://' || " + site + " || '.example/p/' || g % 500, "
                    + "CASE WHEN g % 3 = 0 THEN 'https://www.google.com/' END, 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/126.0', "
                    + "'10.' || g % 256 || '.' || g / 256 % 256 || '.1' "
                    + "FROM generate_series(" + first + ", " + (first + n - 1) + ") g");
            s.execute("INSERT INTO " + (current ? "leases" : leases) + " (pool_id, number, session_id, visitor_id, started_at, last_seen_at, "
                    + "ended_at) SELECT " + site + " || '-visits', " + number + ", " + id + ", 'v' || (g % 40000000), " + at + ", "
                    + at + " + interval '3 minutes', " + at + " + interval '18 minutes' "
                    + "FROM generate_series(" + first + ", " + (first + n - 1) + ") g WHERE g % 8 < 4");
            if (!current) {
                String bounds = "FOR VALUES FROM ('" + monthStart(month) + "') TO ('" + monthStart(month.plusMonths(1)) + "')";
                s.execute("ALTER TABLE " + visits + " ADD PRIMARY KEY (id, started_at)");
                s.execute("CREATE INDEX ON " + visits + " (site_key, started_at)");
                s.execute("ALTER TABLE " + leases + " ADD PRIMARY KEY (session_id, number, started_at)");
                s.execute("CREATE INDEX ON " + leases + " (number, coalesce(ended_at, 'infinity'::timestamptz)) INCLUDE (started_at)");
                s.execute("CREATE INDEX ON " + leases + " (pool_id, coalesce(ended_at, 'infinity'::timestamptz))");
                s.execute("CREATE INDEX ON " + leases + " (pool_id) WHERE ended_at IS NULL");
                s.execute("ALTER TABLE sessions ATTACH PARTITION " + visits + " " + bounds);
                s.execute("ALTER TABLE leases ATTACH PARTITION " + leases + " " + bounds);
            }
        }
    }

    /** Figures of one state of the tables. */
    static final class Figures {
        static final String[] NAMES = {"attribution (holders, visit), ring now", "attribution, ring in a past month",
                "a call's visit by id", "a call's visit's leases"};
        double writesPerSecond;
        final double[] p50 = new double[NAMES.length];
        final double[] p99 = new double[NAMES.length];
    }

    private static Figures measure(Connection db, Pool pool, YearMonth current, YearMonth past, int samples) throws Exception {
        Figures f = new Figures();
        try (Statement s = db.createStatement()) {
            s.execute("CHECKPOINT"); // each state measured from a clean start: the bulk load's dirty pages written
        }
        // the first round warms up the connection and the server; then the median of three rounds
        writes(db, samples);
        double[] rounds = {writes(db, samples), writes(db, samples), writes(db, samples)};
        Arrays.sort(rounds);
        f.writesPerSecond = rounds[1];
        Random random = new Random(7);
        int warm = samples / 5; // reads of other numbers and visits first: the JVM's and the connections' warm-up
        long[][] ns = new long[Figures.NAMES.length][samples];
        List<String> ids = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT id FROM " + Months.partition("sessions", past)
                + " TABLESAMPLE SYSTEM (1) WHERE pool_id LIKE '%-visits' LIMIT " + (samples + warm))) {
            while (r.next()) {
                ids.add(r.getString(1));
            }
        }
        Collections.shuffle(ids, random);
        // "now" for the generated data is the current month's end (its visits run up to it): a call rings after every
        // lease; a ring in a past month is a call attributed again later (leases after it exist)
        Instant nowRing = monthStart(current.plusMonths(1)).toInstant();
        String visitSql = constant("io.calltrack.call.Attributor", "VISITS_IN_MONTH").replaceAll("\\$\\d+", "?");
        try (PreparedStatement visit = db.prepareStatement(visitSql)) {
            for (int j = 0; j < warm + samples; j++) {
                int i = Math.max(j - warm, 0);
                String number = "+1646" + (1 + random.nextInt(4)) + String.format("%06d", random.nextInt(NUMBERS));
                // after the month's first week, so that a number has holders in the week before (the baseline has one month)
                Instant pastRing = monthStart(past).toInstant().plusSeconds((long) ((8 + random.nextDouble() * 19) * 86400));
                ns[0][i] = ring(db, pool, visit, number, nowRing.plusSeconds(random.nextInt(600)));
                ns[1][i] = ring(db, pool, visit, number, pastRing);
                // a call's page reads its visit and the visit's leases as the service does
                String id = ids.get(j % ids.size());
                long t0 = System.nanoTime();
                if (VisitView.read(pool, id).await().indefinitely().isEmpty()) {
                    throw new IllegalStateException("visit " + id + " not found");
                }
                ns[2][i] = System.nanoTime() - t0;
                t0 = System.nanoTime();
                if (LeaseSpan.ofVisit(pool, id).await().indefinitely().isEmpty()) {
                    throw new IllegalStateException("the leases of visit " + id + " not found");
                }
                ns[3][i] = System.nanoTime() - t0;
            }
        }
        for (int q = 0; q < ns.length; q++) {
            Arrays.sort(ns[q]);
            f.p50[q] = BenchSupport.percentileMs(ns[q], 0.5);
            f.p99[q] = BenchSupport.percentileMs(ns[q], 0.99);
        }
        return f;
    }

    /**
     * Attribution's reads: the number's holders around the ring (the service's own code, through its client), then the
     * chosen one's visit (here the latest holder's).
     */
    private static long ring(Connection db, Pool pool, PreparedStatement visit, String number, Instant at) throws Exception {
        long t0 = System.nanoTime();
        String latest = null;
        for (Row r : LeaseHolders.read(pool, List.of(new LeaseHolders.Ask(number, at, Duration.ofDays(1)))).await().indefinitely().get(0)) {
            latest = latest == null ? r.getString("session_id") : latest;
        }
        if (latest == null) {
            throw new IllegalStateException("number " + number + " had no holder before " + at);
        }
        // the visit's month from its id, per visit ($2, $3) and for the whole read ($4, $5), as the service passes them
        Timestamp from = Timestamp.from(VisitIdTime.earliest(latest).orElseThrow().toInstant());
        Timestamp to = Timestamp.from(VisitIdTime.latest(latest).orElseThrow().toInstant());
        visit.setArray(1, db.createArrayOf("text", new Object[]{latest}));
        visit.setArray(2, db.createArrayOf("timestamptz", new Object[]{from}));
        visit.setArray(3, db.createArrayOf("timestamptz", new Object[]{to}));
        visit.setTimestamp(4, from);
        visit.setTimestamp(5, to);
        try (ResultSet r = visit.executeQuery()) {
            if (!r.next()) {
                throw new IllegalStateException("the visit of holder " + latest + " was not found in its month");
            }
        }
        return System.nanoTime() - t0;
    }

    /** Batches of new visits with the start of their leases, then their leases' end, through the writers' own statements. */
    private static double writes(Connection db, int batches) throws Exception {
        String insert = constant("io.calltrack.session.VisitRecords", "INSERT").replaceAll("\\$\\d+", "?");
        String upsert = constant("io.calltrack.pool.LeaseLog", "UPSERT").replaceAll("\\$\\d+", "?");
        long ns = 0, rows = 0;
        Random random = new Random();
        try (PreparedStatement visits = db.prepareStatement(insert); PreparedStatement leases = db.prepareStatement(upsert)) {
            for (int b = 0; b < batches / 10 + 5; b++) {
                long now = System.currentTimeMillis();
                String[][] cols = new String[21][BATCH];
                Long[] started = new Long[BATCH], seen = new Long[BATCH], ended = new Long[BATCH];
                Boolean[] bot = new Boolean[BATCH], shared = new Boolean[BATCH];
                for (int i = 0; i < BATCH; i++) {
                    String site = SITES[i % 4];
                    String id = Secrets.timeOrderedBase64Url(now) + "~" + site + "-visits";
                    String[] row = {id, site, "w" + random.nextInt(1 << 30), site + "-visits", "+16469" + String.format("%06d", i),
                            "google", "cpc", "spring", null, "keyword " + i, "https://" + site + ".example/p/" + i, null, null, null,
                            null, null, "A page", "Mozilla/5.0", "10.0.0." + i % 256, null, null};
                    for (int c = 0; c < row.length; c++) {
                        cols[c][i] = row[c];
                    }
                    started[i] = now;
                    seen[i] = now + 60_000;
                    ended[i] = now + 960_000;
                    bot[i] = false;
                    shared[i] = false;
                }
                long t0 = System.nanoTime();
                for (int c = 0; c < 21; c++) {
                    visits.setArray(c + 1, db.createArrayOf("text", cols[c]));
                }
                visits.setArray(22, db.createArrayOf("bigint", started));
                visits.setArray(23, db.createArrayOf("bool", bot));
                visits.executeUpdate();
                for (Long[] last : new Long[][]{{null}, ended}) { // the leases start, then they end (two lines of each)
                    leases.setArray(1, db.createArrayOf("text", cols[3]));
                    leases.setArray(2, db.createArrayOf("text", cols[4]));
                    leases.setArray(3, db.createArrayOf("text", cols[0]));
                    leases.setArray(4, db.createArrayOf("text", cols[2]));
                    leases.setArray(5, db.createArrayOf("bigint", started));
                    leases.setArray(6, db.createArrayOf("bigint", seen));
                    leases.setArray(7, db.createArrayOf("bigint", last.length == 1 ? new Long[BATCH] : last));
                    leases.setArray(8, db.createArrayOf("bool", shared));
                    leases.executeUpdate();
                }
                if (b >= 5) { // the first batches warm up
                    ns += System.nanoTime() - t0;
                    rows += BATCH;
                }
            }
        }
        return rows / (ns / 1e9);
    }

    /**
     * The oldest month pruned as the service does, with calls on 3 % of its visits (and so on their numbers) and the
     * default late-call window of a day.
     */
    private static void prune(Connection db, Pool pool, YearMonth oldest, Path dir) throws Exception {
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT pg_total_relation_size('"
                + Months.partition("sessions", oldest) + "') + pg_total_relation_size('" + Months.partition("leases", oldest) + "')")) {
            r.next();
            long month = r.getLong(1), free = Files.getFileStore(dir).getUsableSpace();
            if (free < 3 * month) { // the kept rows are copied before the month is dropped
                System.out.printf(Locale.ROOT, "  pruning skipped: %d MB free, the month takes %d MB%n", free >> 20, month >> 20);
                return;
            }
        }
        try (Statement s = db.createStatement()) {
            s.execute("INSERT INTO calls (pbx, linkedid, did, started_at, ended_at, site_key, session_id) "
                    + "SELECT 'bench', 'h' || id, number, started_at + interval '2 minutes', started_at + interval '5 minutes', site_key, id "
                    + "FROM " + Months.partition("sessions", oldest) + " WHERE abs(hashtext(id) % 100) < 3");
            s.execute("UPDATE report_days_state SET pending_from = now()"); // no daily figures to wait for here
            // the pools' late-call window (a day, the default): the numbers' holders within it of each call are kept
            s.execute("INSERT INTO sites (key, name, region, domains, printed_numbers) "
                    + "VALUES ('shop', 'Shop', 'US', 'shop.example', '+12125550101')");
            s.execute("INSERT INTO pools (id, site_key, kind, position, match_rule, hold_seconds, late_window_seconds, exhaustion) "
                    + "VALUES ('shop-visits', 'shop', 'DYNAMIC', 0, '{}', 900, 86400, 'SHARE')");
        }
        Duration retention = Duration.between(monthStart(oldest.plusMonths(1)).toInstant(), Instant.now()).minusDays(1);
        long t0 = System.nanoTime();
        VisitHistory.Kept kept = keep(pool, Instant.now(), Optional.of(retention));
        MonthPrune.Pruned p = kept.pruned().get(0);
        System.out.printf(Locale.ROOT, "  pruning %s (retention %d days): %.1f s; visits %,d of %,d kept, leases %,d of %,d%n", p.month(),
                retention.toDays(), (System.nanoTime() - t0) / 1e9, p.visitsKept(), p.visits(), p.leasesKept(), p.leases());
    }

    /** A run of the service's keeper on the bench's database. */
    private static VisitHistory.Kept keep(Pool pool, Instant now, Optional<Duration> retention) {
        return new VisitHistory(pool, Clock.systemUTC(), Optional.empty()).keep(now, retention).await().atMost(Duration.ofHours(2));
    }

    private static String constant(String className, String name) throws Exception {
        Field f = Class.forName(className).getDeclaredField(name);
        f.setAccessible(true);
        return (String) f.get(null);
    }
}
