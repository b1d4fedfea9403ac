package io.calltrack.report;

import io.calltrack.DbSessions;
import io.calltrack.call.CallLogResource;
import io.calltrack.config.ActiveConfig;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps {@code report_days} (the channel figures that add up, per site, local day and channel) in step with
 * the calls and visits: each pass rebuilds, from the raw rows, every site-day with a call changed or a visit
 * begun since the last pass, in one transaction that one replica at a time runs (an advisory lock). Visits
 * reach PostgreSQL in batches, so the days of the last {@code calltrack.reports.settle} are rebuilt again
 * each hour to take in visits written late (after an outage).
 */
@ApplicationScoped
public class ReportDays {

    private static final Logger LOG = Logger.getLogger(ReportDays.class);
    /** pg_try_advisory_xact_lock key: one pass at a time across replicas. */
    private static final long LOCK = 0x5245504f52544441L;
    private static final ZoneId UTC = ZoneId.of("UTC");
    /** Site-days rebuilt in one pass from which the daily tables are analysed in the same pass. */
    private static final int ANALYZE_AFTER = 500;

    private final Pool db;
    private final ActiveConfig config;
    private final Duration visitLag;
    private final Duration settle;
    private volatile OffsetDateTime lastSettle;
    /** The sites and zones of the last pass that ran: days cut in another zone are looked for when these change. */
    private volatile List<String> lastSites = List.of();
    private volatile List<String> lastZones = List.of();

    ReportDays(Pool db, ActiveConfig config,
               @ConfigProperty(name = "calltrack.reports.visit-lag", defaultValue = "10m") Duration visitLag,
               @ConfigProperty(name = "calltrack.reports.settle", defaultValue = "48h") Duration settle) {
        this.db = db;
        this.config = config;
        this.visitLag = visitLag;
        this.settle = settle;
    }

    @Scheduled(every = "${calltrack.reports.refresh-every:30s}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return refresh().replaceWithVoid().onFailure().recoverWithItem(e -> {
            LOG.warnf("daily report figures not refreshed this time (%s); the next pass catches up", e.toString());
            return null;
        });
    }

    /**
     * A pass that begins now: when another is under way (this replica's scheduled one, or another replica's), waits for
     * it to end and runs one after it, so every change made before the call is in the tables when it completes.
     */
    public Uni<Void> passNow() {
        return refresh().chain(ran -> ran ? Uni.createFrom().voidItem()
                : Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(20)).chain(this::passNow));
    }

    /**
     * The zone each site's days are cut in, in the daily tables: the site's own, and UTC for calls of no site ('').
     * Reports in another zone read the tables by these ({@link Slices}).
     */
    static Map<String, ZoneId> siteZones(ActiveConfig config) {
        Map<String, ZoneId> zones = new LinkedHashMap<>();
        zones.put("", UTC);
        config.get().sites().forEach(s -> zones.put(s.key(), s.timezone()));
        return zones;
    }

    /** One pass; true when it ran (false: another replica's pass held the lock). */
    public Uni<Boolean> refresh() {
        Map<String, ZoneId> byTable = siteZones(config);
        List<String> sites = List.copyOf(byTable.keySet());
        List<String> zones = byTable.values().stream().map(ZoneId::getId).toList();
        OffsetDateTime now = OffsetDateTime.now();
        boolean settling = lastSettle == null || lastSettle.plusHours(1).isBefore(now);
        boolean zonesChanged = !zones.equals(lastZones) || !sites.equals(lastSites);
        Tuple args = Tuple.of(sites.toArray(String[]::new), zones.toArray(String[]::new),
                (double) visitLag.toSeconds(), settling ? (double) settle.toSeconds() : 0.0, zonesChanged);
        // named as writing no calls, so a long pass (the first one over a large log) does not hold CRM syncs back
        return db.withTransaction(conn -> conn.query("SET LOCAL application_name = '" + DbSessions.NO_CALL_WRITES + "'").execute()
                .chain(() -> conn.preparedQuery("SELECT pg_try_advisory_xact_lock($1) AS locked").execute(Tuple.of(LOCK)))
                .chain(locked -> !locked.iterator().next().getBoolean("locked") ? Uni.createFrom().item(false)
                        : pass(conn, args)))
                .invoke(ran -> {
                    if (ran && settling) {
                        lastSettle = now;
                    }
                    if (ran) {
                        lastSites = sites;
                        lastZones = zones;
                    }
                });
    }

    private Uni<Boolean> pass(SqlConnection conn, Tuple args) {
        return conn.preparedQuery(TOUCHED).execute(args).chain(rows -> {
            List<String> site = new ArrayList<>(), zone = new ArrayList<>();
            List<LocalDate> day = new ArrayList<>();
            OffsetDateTime started = null;
            for (Row r : rows) {
                started = r.getOffsetDateTime("pass_started");
                if (r.getString("site_key") != null) {
                    site.add(r.getString("site_key"));
                    day.add(r.getLocalDate("day"));
                    zone.add(r.getString("tz"));
                }
            }
            Tuple days = Tuple.of(site.toArray(String[]::new), day.toArray(LocalDate[]::new), zone.toArray(String[]::new));
            OffsetDateTime passStarted = started;
            Uni<?> rebuilt = site.isEmpty() ? Uni.createFrom().voidItem()
                    : rebuild(conn, "report_days", INSERT, days).chain(() -> rebuild(conn, "report_day_terms", INSERT_TERMS, days))
                    .chain(() -> rebuild(conn, "operator_days", INSERT_OPERATORS, days));
            // after a large rebuild (the first pass over a call log, a zone changed) the planner's figures of the
            // tables are refreshed at once: reports planned on an empty table's statistics take seconds, not ms
            Uni<?> analyzed = site.size() < ANALYZE_AFTER ? Uni.createFrom().voidItem()
                    : conn.query("ANALYZE report_days, report_day_terms, operator_days").execute();
            return rebuilt.chain(() -> analyzed).chain(() -> conn.preparedQuery("UPDATE report_days_state SET pending_from = $1, refreshed_at = now()")
                    .execute(Tuple.of(passStarted))).replaceWith(true);
        });
    }

    /**
     * The site-days to rebuild: calls changed since the last pass began, visits begun since then (less the lag
     * their writes may have), days cut in another zone than the site's now ($5: looked for on the first pass
     * and when a zone changed, as it reads the whole table), and when settling the recent days. The starting
     * point is a scalar subquery, so that the calls and visits are read by their index, not scanned.
     * Always one row, with the next pass's starting point: the start of the oldest transaction still in progress
     * (as the call log's sync reads it: a call it may yet commit is stamped no earlier), else now; site_key null.
     */
    private static final String TOUCHED = """
            WITH zones AS (SELECT * FROM unnest($1::text[], $2::text[]) AS z(site_key, tz)),
            touched AS (
              SELECT DISTINCT z.site_key, (c.started_at AT TIME ZONE z.tz)::date AS day, z.tz
              FROM calls c JOIN zones z ON z.site_key = coalesce(c.site_key, '')
              WHERE c.updated_at >= (SELECT pending_from FROM report_days_state)
              UNION
              SELECT DISTINCT z.site_key, (s.started_at AT TIME ZONE z.tz)::date, z.tz
              FROM sessions s JOIN zones z ON z.site_key = s.site_key
              WHERE s.site_key = ANY($1) AND s.started_at >= (SELECT pending_from FROM report_days_state) - make_interval(secs => $3)
              UNION
              SELECT DISTINCT r.site_key, r.day, z.tz FROM report_days r JOIN zones z USING (site_key) WHERE $5 AND r.timezone <> z.tz
              UNION
              SELECT z.site_key, d::date, z.tz FROM zones z,
                     generate_series(((now() - make_interval(secs => $4)) AT TIME ZONE z.tz)::date, (now() AT TIME ZONE z.tz)::date, interval '1 day') d
              WHERE $4 > 0)
            SELECT t.*, (""" + CallLogResource.SYNC_HORIZON + ") AS pass_started FROM (SELECT 1) one LEFT JOIN touched t ON true";

    /** One daily table's rows of the site-days, deleted and made again from the calls and visits. */
    private static Uni<?> rebuild(SqlConnection conn, String table, String insert, Tuple days) {
        return conn.preparedQuery("DELETE FROM " + table + " r USING unnest($1::text[], $2::date[], $3::text[]) AS t(site_key, day, tz) "
                + "WHERE r.site_key = t.site_key AND r.day = t.day").execute(days).chain(() -> conn.preparedQuery(insert).execute(days));
    }

    private static final String INSERT = DayFigures.CHANNELS.insert("report_days");
    private static final String INSERT_TERMS = DayFigures.TERMS.insert("report_day_terms");

    private static final String INSERT_OPERATORS = DayFigures.sliceCalls(DayFigures.SITE_DAYS) + """
            , op AS (
              SELECT t_site, t_day, extension AS who, 1 AS answered, 0 AS missed, ring_seconds, talk_seconds, outcome_status, outcome_value
              FROM tc WHERE answered_at IS NOT NULL AND extension IS NOT NULL
              UNION ALL
              SELECT t_site, t_day, m.who, 0, 1, NULL, NULL, NULL, NULL
              FROM tc CROSS JOIN LATERAL unnest(string_to_array(missed_by, ',')) AS m(who) WHERE missed_by IS NOT NULL)
            INSERT INTO operator_days (site_key, day, extension, answered, missed, ring_seconds, ring_counted, talk_seconds, leads, deals, revenue)
            SELECT t_site, t_day, who, sum(answered), sum(missed), coalesce(sum(ring_seconds), 0), count(ring_seconds), coalesce(sum(talk_seconds), 0),
                   count(*) FILTER (WHERE outcome_status IN ('LEAD', 'QUALIFIED', 'DEAL')), count(*) FILTER (WHERE outcome_status = 'DEAL'),
                   coalesce(sum(outcome_value) FILTER (WHERE outcome_status = 'DEAL'), 0)
            FROM op GROUP BY 1, 2, 3""";
}
