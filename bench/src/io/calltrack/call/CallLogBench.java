package io.calltrack.call;

import io.calltrack.bench.BenchSupport;
import io.calltrack.embedded.EmbeddedServices;

import java.lang.reflect.Field;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;


/**
 * GET /v1/calls over a large call log: the packaged service on an embedded PostgreSQL holding N generated
 * calls (180 days, four sites, skewed sources and callers), one page (limit=100) at a time, sequentially,
 * for the filters CRMs use, deep keyset pages and updatedSince sync pages. Baseline: the same SQL, built by
 * the resource's own CallFilter, run over JDBC on the same database, so the gap is what HTTP and JSON add.
 *
 * args: calls [samples per shape]
 */
public final class CallLogBench {

    /** The admin key the bench starts the service with: it sees every site. */
    private static final String ADMIN_KEY = "ct_bench_admin_key_0123456789";
    private static final int HTTP_PORT = 18186;
    private static final String API = "http://127.0.0.1:" + HTTP_PORT;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final int PAGE = 100;
    private static final double TARGET_MS = 50;
    private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");

    /** A query to time, and how many calls its page holds: a full page, or every call that matches. */
    record Shape(String name, Map<String, String> params, long rows) {
    }

    record Result(Shape shape, int rows, long[] api, long[] sql) {
    }

    /** Everything the bench started, stopped once, on the way out or on Ctrl-C. */
    private static final class Started implements Runnable {
        final Path dir;
        volatile Process service;
        volatile EmbeddedServices.Running postgres;
        private volatile boolean done;

        Started(Path dir) {
            this.dir = dir;
        }

        @Override
        public synchronized void run() {
            if (done) {
                return;
            }
            done = true;
            if (service != null) {
                try {
                    BenchSupport.stopService(service);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (postgres != null) {
                postgres.close();
            }
            BenchSupport.deleteTree(dir);
        }
    }

    public static void main(String[] args) throws Exception {
        int calls = Integer.parseInt(args[0]);
        int samples = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        Started started = new Started(Files.createTempDirectory("calllog-bench"));
        Runtime.getRuntime().addShutdownHook(new Thread(started));
        try {
            run(calls, samples, started);
        } catch (Exception e) {
            Path log = started.dir.resolve("app.log");
            if (!started.done && Files.exists(log)) { // not when Ctrl-C pulled the service away
                List<String> lines = Files.readAllLines(log);
                System.err.println("service log (last lines):");
                lines.subList(Math.max(0, lines.size() - 30), lines.size()).forEach(System.err::println);
            }
            throw e;
        } finally {
            started.run();
        }
    }

    private static void run(int calls, int samples, Started started) throws Exception {
        System.out.printf(Locale.ROOT, "Call log: GET /v1/calls?limit=%d over %,d calls, %d sequential requests per shape%n",
                PAGE, calls, samples);
        started.postgres = EmbeddedServices.startPostgres(started.dir.resolve("postgres"));
        startService(started);
        // no statement cache, as the service's reactive client has none: each query is planned for its values
        try (Connection db = DriverManager.getConnection("jdbc:" + started.postgres.url() + "?prepareThreshold=0",
                started.postgres.user(), "")) {
            generate(db, calls);
            List<Shape> shapes = shapes(db);
            // the JIT of both sides warms up on every shape before any is timed
            int warmup = Math.max(20, samples / 10);
            for (Shape s : shapes) {
                for (int i = 0; i < warmup; i++) {
                    api(s);
                    sql(db, s);
                }
            }
            List<Result> results = new ArrayList<>();
            for (Shape s : shapes) {
                results.add(measure(db, s, samples));
            }
            report(results);
            System.out.println();
            io.calltrack.console.ConsolePagesBench.run(HTTP, API, ADMIN_KEY, db, "shop-visits", Math.max(30, samples / 2));
        }
    }

    private static void startService(Started started) throws Exception {
        Path dir = started.dir;
        EmbeddedServices.Running pg = started.postgres;
        ProcessBuilder pb = new ProcessBuilder("java", "-jar", "target/quarkus-app/quarkus-run.jar")
                .redirectErrorStream(true).redirectOutput(dir.resolve("app.log").toFile());
        pb.environment().put("CALLTRACK_DB_URL", pg.url());
        pb.environment().put("CALLTRACK_DB_USER", pg.user());
        pb.environment().remove("CALLTRACK_DB_PASSWORD");
        pb.environment().remove("CALLTRACK_REDIS_URL");
        pb.environment().put("CALLTRACK_DATA_DIR", dir.resolve("data").toString());
        pb.environment().put("CALLTRACK_POOL_FILE", "bench/number-pool-calls.yaml");
        pb.environment().put("PORT", String.valueOf(HTTP_PORT));
        pb.environment().put("CALLTRACK_ADMIN_KEY", ADMIN_KEY);
        Process p = pb.start();
        started.service = p;
        BenchSupport.awaitReady(HTTP, API, p, dir.resolve("app.log"));
    }

    /**
     * N calls in one INSERT ... SELECT. Ids follow ring time, as they do when a PBX feeds the table, so the
     * heap is in time order; the DIDs are the numbers the service synced from the pool file.
     */
    private static void generate(Connection db, int n) throws Exception {
        String insert = """
                WITH r AS MATERIALIZED (
                    SELECT g, random() AS r_caller, random() AS r_who, random() AS r_num, random() AS r_method,
                           random() AS r_source, random() AS r_campaign, random() AS r_keyword, random() AS r_disp,
                           random() AS r_ring, random() AS r_talk, random() AS r_jitter, random() AS r_misc,
                           random() AS r_update
                    FROM generate_series(1, :n) g),
                dyn AS (
                    SELECT row_number() OVER (ORDER BY n.number) AS i, n.number, n.pool_id, p.site_key
                    FROM pool_numbers n JOIN pools p ON p.id = n.pool_id WHERE p.kind = 'DYNAMIC'),
                stat AS (
                    SELECT DISTINCT ON (p.site_key) p.site_key, n.number, n.pool_id
                    FROM pool_numbers n JOIN pools p ON p.id = n.pool_id WHERE p.kind = 'STATIC'
                    ORDER BY p.site_key, n.number),
                c AS MATERIALIZED (
                    SELECT r.*, d.site_key,
                           -- 180 days ending yesterday, so every change is long settled
                           now() - interval '181 days' + (g - 1) * (interval '180 days' / :n)
                               + r_jitter * interval '30 minutes' AS started_at,
                           CASE WHEN r_caller < 0.01 THEN NULL                                 -- withheld
                                WHEN r_caller < 0.015 THEN '+1305555' || lpad(floor(r_who * 20)::text, 4, '0')
                                WHEN r_caller < 0.30 THEN '+1917' || lpad(floor(r_who * :n / 20)::text, 7, '0')
                                ELSE '+1718' || lpad(floor(r_who * 10000000)::text, 7, '0') END AS caller,
                           CASE WHEN r_method < 0.57 THEN 'LIVE_LEASE' WHEN r_method < 0.72 THEN 'RECENT_LEASE'
                                WHEN r_method < 0.77 THEN 'SHARED_LEASE' WHEN r_method < 0.92 THEN 'STATIC_POOL'
                                ELSE 'UNATTRIBUTED' END AS method,
                           CASE WHEN r_method >= 0.77 AND r_method < 0.92 THEN s.number ELSE d.number END AS did,
                           CASE WHEN r_method >= 0.77 AND r_method < 0.92 THEN s.pool_id ELSE d.pool_id END AS pool_id,
                           CASE WHEN r_disp < 0.70 THEN 'ANSWERED' WHEN r_disp < 0.85 THEN 'NO_ANSWER'
                                WHEN r_disp < 0.90 THEN 'BUSY' WHEN r_disp < 0.98 THEN 'ABANDONED'
                                ELSE 'FAILED' END AS disposition
                    FROM r JOIN dyn d ON d.i = 1 + floor(r.r_num * (SELECT count(*) FROM dyn))::int
                    JOIN stat s ON s.site_key = d.site_key),
                a AS (
                    SELECT c.*,
                           CASE WHEN method = 'STATIC_POOL' THEN CASE WHEN r_source < 0.8 THEN 'google' ELSE 'bing' END
                                WHEN method = 'UNATTRIBUTED' THEN NULL
                                WHEN r_source < 0.50 THEN 'google' WHEN r_source < 0.60 THEN 'bing'
                                WHEN r_source < 0.70 THEN 'facebook' WHEN r_source < 0.75 THEN 'instagram'
                                WHEN r_source < 0.87 THEN '(direct)'
                                WHEN r_source < 0.95 THEN 'ref' || floor(pow(r_misc, 2) * 300) || '.example'
                                WHEN r_source < 0.98 THEN 'newsletter'
                                ELSE 'partner-' || floor(r_misc * 50) END AS source,
                           CASE WHEN method = 'STATIC_POOL' THEN 'organic'
                                WHEN method = 'UNATTRIBUTED' THEN NULL
                                WHEN r_source < 0.60 THEN 'cpc' WHEN r_source < 0.70 THEN 'paid_social'
                                WHEN r_source < 0.75 THEN 'social' WHEN r_source < 0.87 THEN '(none)'
                                WHEN r_source < 0.95 THEN 'referral' WHEN r_source < 0.98 THEN 'email'
                                ELSE 'affiliate' END AS medium,
                           CASE WHEN disposition = 'ANSWERED' THEN 1 + floor(r_ring * 20)
                                WHEN disposition = 'NO_ANSWER' THEN 20 + floor(r_ring * 40)
                                WHEN disposition = 'ABANDONED' THEN 2 + floor(r_ring * 25)
                                ELSE floor(r_ring * 2) END::int AS ring,
                           CASE WHEN disposition = 'ANSWERED' THEN 5 + floor(pow(r_talk, 2) * 1200)::int END AS talk
                    FROM c),
                f AS (
                    SELECT g, first_value(g) OVER (PARTITION BY caller ORDER BY started_at, g) AS first FROM c)
                INSERT INTO calls (id, pbx, linkedid, did, caller, caller_name, started_at, answered_at, ended_at,
                                   ring_seconds, talk_seconds, disposition, extension, incomplete, site_key, pool_id,
                                   session_id, attribution_method, confidence, source, medium, campaign, keyword,
                                   landing_url, referrer, gclid, yclid, fbclid, ga_client_id, repeat_caller,
                                   first_call_id, created_at, updated_at)
                SELECT a.g, 'bench', extract(epoch FROM started_at)::bigint || '.' || a.g, did, caller,
                       CASE WHEN a.g % 5 = 0 THEN 'WIRELESS CALLER' END, started_at,
                       CASE WHEN disposition = 'ANSWERED' THEN started_at + ring * interval '1 second' END,
                       started_at + (ring + coalesce(talk, 0)) * interval '1 second', ring, talk, disposition,
                       CASE WHEN disposition = 'ANSWERED' THEN '1' || lpad((a.g % 20)::text, 2, '0') END,
                       a.g % 500 = 0, site_key, pool_id,
                       CASE WHEN method LIKE '%LEASE' THEN md5('s' || a.g) END, method,
                       CASE method WHEN 'LIVE_LEASE' THEN 'HIGH' WHEN 'RECENT_LEASE' THEN 'MEDIUM'
                                   WHEN 'SHARED_LEASE' THEN 'LOW' WHEN 'STATIC_POOL' THEN 'SOURCE' END,
                       source, medium,
                       CASE WHEN medium IN ('cpc', 'paid_social') THEN 'campaign-' || floor(pow(r_campaign, 2) * 80)
                            WHEN medium = 'email' THEN 'digest' WHEN medium = 'affiliate' THEN 'partner-promo' END,
                       -- a few keywords carry most calls; the long tail has a handful each
                       CASE WHEN medium = 'cpc' THEN 'keyword ' || floor(pow(r_keyword, 3) * 20000) END,
                       CASE WHEN method LIKE '%LEASE' THEN 'https://' || site_key || '.example/'
                            || (ARRAY['', 'services', 'pricing', 'contact', 'blog/how-to-choose'])[1 + a.g % 5]
                            || '?utm_source=' || source || '&utm_medium=' || medium END,
                       CASE WHEN medium = 'referral' THEN 'https://' || source || '/'
                            WHEN medium = 'cpc' THEN 'https://www.' || source || '.com/' END,
                       CASE WHEN source = 'google' AND medium = 'cpc' THEN 'Cj0KCQ' || md5(a.g::text) || md5('g' || a.g) END,
                       NULL,
                       CASE WHEN medium LIKE '%social' THEN 'IwAR' || md5('f' || a.g) END,
                       CASE WHEN method LIKE '%LEASE' AND a.g % 10 < 7
                            THEN 'GA1.1.' || (1000000000 + a.g) || '.' || extract(epoch FROM started_at)::bigint END,
                       caller IS NOT NULL AND f.first <> a.g, CASE WHEN caller IS NOT NULL AND f.first <> a.g THEN f.first END,
                       started_at + interval '200 milliseconds',
                       started_at + (ring + coalesce(talk, 0) + 1 + r_update * 120) * interval '1 second'
                FROM a JOIN f ON f.g = a.g
                ORDER BY a.g""".replace(":n", String.valueOf(n));
        try (Statement st = db.createStatement()) {
            st.execute("SET work_mem = '1GB'");
            long t0 = System.nanoTime();
            int rows = st.executeUpdate(insert);
            double generated = (System.nanoTime() - t0) / 1e9;
            st.execute("SELECT setval(pg_get_serial_sequence('calls', 'id'), " + n + ")");
            t0 = System.nanoTime();
            // VACUUM, not only ANALYZE: autovacuum would otherwise scan the new rows while the timings run
            st.execute("VACUUM ANALYZE calls");
            double vacuumed = (System.nanoTime() - t0) / 1e9;
            st.execute("RESET work_mem");
            if (rows != n) {
                throw new IllegalStateException("generated " + rows + " calls, not " + n);
            }
            ResultSet size = st.executeQuery("SELECT pg_table_size('calls'), pg_indexes_size('calls'), "
                    + "(SELECT count(*) FROM pg_indexes WHERE tablename = 'calls')");
            size.next();
            System.out.printf(Locale.ROOT, "  generated %,d calls in %.1f s (one INSERT ... SELECT), VACUUM ANALYZE %.1f s; "
                            + "table %d MB, %d indexes %d MB%n", n, generated, vacuumed, size.getLong(1) >> 20,
                    size.getInt(3), size.getLong(2) >> 20);
        }
    }

    private static List<Shape> shapes(Connection db) throws Exception {
        List<Shape> shapes = new ArrayList<>();
        shapes.add(new Shape("newest page", Map.of(), PAGE));
        OffsetDateTime week = one(db, "SELECT date_trunc('day', started_at) FROM calls ORDER BY id OFFSET "
                + "(SELECT count(*) / 2 FROM calls) LIMIT 1", OffsetDateTime.class);
        shapes.add(new Shape("one week + source=google", params("from", week.toInstant().toString(),
                "to", week.plusDays(7).toInstant().toString(), "source", "google"), PAGE));
        String small = one(db, "SELECT site_key FROM calls GROUP BY 1 ORDER BY count(*), 1 LIMIT 1", String.class);
        shapes.add(new Shape("site=" + small + " (smallest) + medium=cpc + answered", params("site", small, "medium", "cpc",
                "answered", "true"), PAGE));
        String caller = one(db, "SELECT caller FROM calls WHERE repeat_caller AND caller LIKE '+1917%' ORDER BY id DESC LIMIT 1",
                String.class);
        long callerCalls = count(db, "caller", caller);
        shapes.add(new Shape("caller=<repeat caller, " + calls(callerCalls) + ">", params("caller", caller),
                Math.min(callerCalls, PAGE)));
        String did = one(db, "SELECT did FROM calls WHERE attribution_method <> 'STATIC_POOL' ORDER BY id OFFSET "
                + "(SELECT count(*) / 2 FROM calls) LIMIT 1", String.class);
        long didCalls = count(db, "did", did);
        shapes.add(new Shape("did=<number, " + calls(didCalls) + ">", params("did", did), Math.min(didCalls, PAGE)));
        String keyword = one(db, "SELECT keyword FROM calls WHERE keyword IS NOT NULL GROUP BY 1 ORDER BY count(*), 1 LIMIT 1",
                String.class);
        long keywordCalls = count(db, "keyword", keyword);
        shapes.add(new Shape("keyword=<rare, " + calls(keywordCalls) + ">", params("keyword", keyword),
                Math.min(keywordCalls, PAGE)));
        String source = one(db, "SELECT source FROM calls WHERE source LIKE 'partner-%' GROUP BY 1 ORDER BY count(*), 1 LIMIT 1",
                String.class);
        long sourceCalls = count(db, "source", source);
        shapes.add(new Shape("source=<rare, " + calls(sourceCalls) + ">", params("source", source), Math.min(sourceCalls, PAGE)));
        shapes.add(new Shape("disposition=NO_ANSWER", params("disposition", "NO_ANSWER"), PAGE));

        long total = one(db, "SELECT count(*) FROM calls", Long.class);
        for (int depth : depths(total)) {
            shapes.add(new Shape("ring-time page at depth " + depth, params("cursor",
                    cursor(db, CallCursor.BY_START, "started_at", "TRUE", "started_at DESC, id DESC", depth)), PAGE));
        }
        String since = one(db, "SELECT min(updated_at) FROM calls", OffsetDateTime.class).toInstant().toString();
        syncShapes(db, shapes, "updatedSince", params("updatedSince", since), "TRUE", total);
        long inSite = count(db, "site_key", small);
        syncShapes(db, shapes, "site=" + small + " + updatedSince", params("site", small, "updatedSince", since),
                "site_key = '" + small + "'", inSite);
        return shapes;
    }

    /** The first page of an incremental sync, then pages deeper in, as a client that followed nextCursor gets them. */
    private static void syncShapes(Connection db, List<Shape> shapes, String name, Map<String, String> first, String where,
                                   long rows) throws Exception {
        shapes.add(new Shape(name + " first page", first, PAGE));
        for (int depth : depths(rows)) {
            Map<String, String> p = new LinkedHashMap<>(first);
            p.put("cursor", cursor(db, CallCursor.BY_UPDATE, "updated_at", where, "updated_at, id", depth));
            shapes.add(new Shape(name + " depth " + depth, p, PAGE));
        }
    }

    /** Pages 1, 100, 1,000 and 9,000 where the data reaches them, else the deepest full page. */
    private static List<Integer> depths(long rows) {
        List<Integer> out = new ArrayList<>();
        for (int d : new int[]{1, 100, 1000, 9000}) {
            if ((long) d * PAGE + PAGE <= rows) {
                out.add(d);
            }
        }
        int deepest = (int) (rows / PAGE - 1);
        if (!out.contains(9000) && deepest > 0 && !out.contains(deepest)) {
            out.add(deepest);
        }
        return out;
    }

    /** The nextCursor of the page that ends at row PAGE * depth, read from the table instead of walking there. */
    private static String cursor(Connection db, char kind, String column, String where, String order, int depth)
            throws Exception {
        try (Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT (extract(epoch FROM " + column + ") * 1000000)::bigint, id FROM calls"
                     + " WHERE " + where + " ORDER BY " + order + " OFFSET " + ((long) depth * PAGE - 1) + " LIMIT 1")) {
            rs.next();
            return new CallCursor(kind, rs.getLong(1), rs.getLong(2)).encode();
        }
    }

    private static Result measure(Connection db, Shape s, int samples) throws Exception {
        List<Long> expected = sql(db, s);
        List<Long> got = api(s);
        if (!got.equals(expected)) {
            throw new IllegalStateException(s.name() + ": the API returned " + got.size() + " calls, the SQL " + expected.size()
                    + (got.size() == expected.size() ? " (different ones)" : ""));
        }
        if (expected.size() != s.rows()) {
            throw new IllegalStateException(s.name() + ": " + expected.size() + " calls, expected " + s.rows());
        }
        long[] api = new long[samples];
        long[] sql = new long[samples];
        // alternated, so anything else the machine does falls on both alike
        for (int i = 0; i < samples; i++) {
            long t0 = System.nanoTime();
            int n = api(s).size();
            api[i] = System.nanoTime() - t0;
            t0 = System.nanoTime();
            sql(db, s);
            sql[i] = System.nanoTime() - t0;
            if (n != expected.size()) {
                throw new IllegalStateException(s.name() + ": page of " + n + " calls, expected " + expected.size());
            }
        }
        Arrays.sort(api);
        Arrays.sort(sql);
        return new Result(s, expected.size(), api, sql);
    }

    /** The call ids of one page through the API. */
    private static List<Long> api(Shape s) throws Exception {
        StringBuilder q = new StringBuilder("/v1/calls?limit=" + PAGE);
        s.params().forEach((k, v) -> q.append('&').append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpResponse<String> r = get(q.toString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(s.name() + ": HTTP " + r.statusCode() + " " + r.body());
        }
        List<Long> ids = new ArrayList<>();
        Matcher m = ID.matcher(r.body());
        while (m.find()) {
            ids.add(Long.parseLong(m.group(1)));
        }
        return ids;
    }

    /**
     * The same page by the resource's SQL: its CallFilter builds the WHERE clause and the listing part follows
     * CallLogResource.list. Every column of every row is read, as the service does to write the JSON.
     */
    private static List<Long> sql(Connection db, Shape s) throws Exception {
        CallFilter f = new CallFilter();
        f.limit = PAGE;
        for (Map.Entry<String, String> e : s.params().entrySet()) {
            Field field = CallFilter.class.getField(e.getKey());
            field.set(f, field.getType() == Boolean.class ? Boolean.valueOf(e.getValue()) : e.getValue());
        }
        List<Object> args = new ArrayList<>();
        String sql = CallLogResource.pageSql(f, f.site, args); // the admin key: the site asked for, or every site
        if (f.isSync()) {
            try (var horizon = db.createStatement().executeQuery(CallLogResource.SYNC_HORIZON)) {
                horizon.next();
                args.add(horizon.getObject("horizon", java.time.OffsetDateTime.class));
            }
        }
        // $n placeholders of the reactive client to JDBC's ?, binding the same values
        List<Object> bound = new ArrayList<>();
        Matcher m = Pattern.compile("\\$(\\d+)").matcher(sql);
        StringBuilder jdbc = new StringBuilder();
        while (m.find()) {
            bound.add(args.get(Integer.parseInt(m.group(1)) - 1));
            m.appendReplacement(jdbc, "?");
        }
        m.appendTail(jdbc);
        try (PreparedStatement ps = db.prepareStatement(jdbc.toString())) {
            for (int i = 0; i < bound.size(); i++) {
                ps.setObject(i + 1, bound.get(i));
            }
            List<Long> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    for (int c = 1; c <= columns; c++) {
                        rs.getObject(c);
                    }
                    ids.add(rs.getLong("id"));
                }
            }
            return ids;
        }
    }

    private static void report(List<Result> results) {
        System.out.printf(Locale.ROOT, "  %-52s %5s | %-23s | %-23s | %s%n", "", "",
                "API (HTTP + JSON) ms", "baseline: bare SQL ms", "p95");
        System.out.printf(Locale.ROOT, "  %-52s %5s | %7s %7s %7s | %7s %7s %7s | %s%n", "shape", "rows",
                "p50", "p95", "p99", "p50", "p95", "p99", "API - SQL");
        Result worst = results.get(0);
        int missed = 0;
        for (Result r : results) {
            double apiP95 = pct(r.api(), 0.95);
            double sqlP95 = pct(r.sql(), 0.95);
            System.out.printf(Locale.ROOT, "  %-52s %5d | %7.1f %7.1f %7.1f | %7.1f %7.1f %7.1f | %+6.1f ms%s%n",
                    r.shape().name(), r.rows(), pct(r.api(), 0.50), apiP95, pct(r.api(), 0.99),
                    pct(r.sql(), 0.50), sqlP95, pct(r.sql(), 0.99), apiP95 - sqlP95, apiP95 > TARGET_MS ? "  > target" : "");
            if (apiP95 > TARGET_MS) {
                missed++;
            }
            if (apiP95 > pct(worst.api(), 0.95)) {
                worst = r;
            }
        }
        System.out.printf(Locale.ROOT, "  every shape p95 <= %.0f ms through the API (target): %s; slowest: %s, p95 %.1f ms%n",
                TARGET_MS, missed == 0 ? "yes" : "NO, " + missed + " of " + results.size() + " missed",
                worst.shape().name(), pct(worst.api(), 0.95));
    }

    private static String calls(long n) {
        return n == 1 ? "1 call" : n + " calls";
    }

    private static Map<String, String> params(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static long count(Connection db, String column, String value) throws Exception {
        try (PreparedStatement ps = db.prepareStatement("SELECT count(*) FROM calls WHERE " + column + " = ?")) {
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static <T> T one(Connection db, String query, Class<T> type) throws Exception {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getObject(1, type);
        }
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return BenchSupport.get(HTTP, API + path, ADMIN_KEY, Duration.ofSeconds(30));
    }

    private static double pct(long[] sorted, double q) {
        return BenchSupport.percentileMs(sorted, q);
    }
}
