package io.calltrack.report;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The SQL that makes the figures that add up (calls, answered, missed, talk, first-time callers, leads, deals,
 * revenue, visits) from the raw calls and visits of a set of time slices: for the daily tables one slice per
 * site-day; for a report in another time zone the parts of its range that whole site-days do not cover.
 */
final class DayFigures {

    /** Slices of site-days, from $1 sites, $2 days, $3 their zones. */
    static final String SITE_DAYS = "SELECT site_key, day, tz, (day::timestamp AT TIME ZONE tz) AS lo, ((day + 1)::timestamp AT TIME ZONE tz) AS hi "
            + "FROM unnest($1::text[], $2::date[], $3::text[]) AS t(site_key, day, tz)";

    /** By source, medium and campaign: the rows of report_days. */
    static final DayFigures CHANNELS = new DayFigures("source, medium, campaign",
            "coalesce(source, '') AS source, coalesce(medium, '') AS medium, coalesce(campaign, '') AS campaign", "",
            "coalesce(s.source, '') AS source, coalesce(s.medium, '') AS medium, coalesce(s.campaign, '') AS campaign", "",
            "fz.k1, fz.k2, fz.k3", "fz.kind = 'channel'");

    /** By keyword and by landing page (no query string): too many values to share a row with the channel (report_day_terms). */
    static final DayFigures TERMS = terms(List.of("keyword", "landing"));

    /** The term of each kind named, from a call's or a visit's columns (prefix: "" or "s."). */
    private static String termValues(List<String> kinds, String prefix) {
        return kinds.stream().map(k -> "('" + k + "', coalesce(" + (k.equals("keyword") ? prefix + "keyword"
                : "split_part(" + prefix + "landing_url, '?', 1)") + ", ''))").collect(Collectors.joining(", "));
    }

    /** {@link #TERMS} of the kinds named only (keyword, landing). */
    static DayFigures terms(List<String> kinds) {
        return new DayFigures("kind, term", "v.kind, v.term", " CROSS JOIN LATERAL (VALUES " + termValues(kinds, "") + ") v(kind, term)",
                "v.kind, v.term", " CROSS JOIN LATERAL (VALUES " + termValues(kinds, "s.") + ") v(kind, term)", "fz.kind, fz.k1",
                "fz.kind IN (" + kinds.stream().map(k -> "'" + k + "'").collect(Collectors.joining(", ")) + ")");
    }

    /** The key columns, as the tables name them. */
    final String keys;
    private final String callKeys;
    private final String callJoin;
    private final String sessionKeys;
    private final String sessionJoin;
    private final String frozenKeys;
    private final String frozenKinds;

    /**
     * {@code callKeys} / {@code sessionKeys} / {@code frozenKeys}: the expressions that give the keys (in that order)
     * over a call, a visit or a frozen visit count ({@code fz}, of the kinds {@code frozenKinds} selects); each
     * {@code ...Join}: what those read.
     */
    private DayFigures(String keys, String callKeys, String callJoin, String sessionKeys, String sessionJoin, String frozenKeys,
                       String frozenKinds) {
        this.keys = keys;
        this.callKeys = callKeys;
        this.callJoin = callJoin;
        this.sessionKeys = sessionKeys;
        this.sessionJoin = sessionJoin;
        this.frozenKeys = frozenKeys;
        this.frozenKinds = frozenKinds;
    }

    /**
     * {@code slices} (a query of site_key, day, tz, lo, hi) as {@code t}, and the calls of each as {@code tc} (a
     * site's, or those of no site for ''), with the slice's site_key, day and tz as t_site, t_day, t_tz.
     */
    static String sliceCalls(String slices) {
        return "WITH t AS (" + slices + "),\n" + """
                tc AS (SELECT t.site_key AS t_site, t.day AS t_day, t.tz AS t_tz, c.* FROM t CROSS JOIN LATERAL (
                         SELECT * FROM calls WHERE site_key = t.site_key AND started_at >= t.lo AND started_at < t.hi
                         UNION ALL
                         SELECT * FROM calls WHERE t.site_key = '' AND site_key IS NULL AND started_at >= t.lo AND started_at < t.hi) c)""";
    }

    /**
     * {@link #sliceCalls} and the figures per slice and key as {@code f} (site_key, day, tz, the keys,
     * sessions, calls, answered, missed, talk_seconds, first_time, leads, deals, revenue); ready for a statement
     * that reads {@code f}. The visits of a site-day that began before the end of the last month whose visits were
     * pruned (retention) are the counts frozen then, not the visits left; the edge hours of a report in another
     * zone (day null) count the visits left.
     */
    String with(String slices) {
        StringBuilder groups = new StringBuilder("1, 2, 3");
        for (int i = 0; i < keys.split(",").length; i++) {
            groups.append(", ").append(4 + i);
        }
        return sliceCalls(slices) + """
                ,
                c AS (
                  SELECT t_site AS site_key, t_day AS day, t_tz AS tz, %s, count(*) AS calls,
                         count(*) FILTER (WHERE answered_at IS NOT NULL) AS answered,
                         count(*) FILTER (WHERE answered_at IS NULL AND ended_at IS NOT NULL) AS missed,
                         coalesce(sum(talk_seconds) FILTER (WHERE answered_at IS NOT NULL), 0) AS talk_seconds,
                         count(DISTINCT caller) FILTER (WHERE NOT repeat_caller) AS first_time,
                         count(*) FILTER (WHERE outcome_status IN ('LEAD', 'QUALIFIED', 'DEAL')) AS leads,
                         count(*) FILTER (WHERE outcome_status = 'DEAL') AS deals,
                         coalesce(sum(outcome_value) FILTER (WHERE outcome_status = 'DEAL'), 0) AS revenue
                  FROM tc%s GROUP BY %s),
                pruned AS (SELECT coalesce(max(ends_at), '-infinity') AS before FROM visit_months_pruned),
                s AS (
                  SELECT t.site_key, t.day, t.tz, %s, count(*) AS sessions
                  FROM t JOIN sessions s ON s.site_key = t.site_key AND s.started_at >= t.lo AND s.started_at < t.hi AND NOT s.bot%s
                  WHERE t.day IS NULL OR t.lo >= (SELECT before FROM pruned)
                  GROUP BY %s
                  UNION ALL
                  SELECT t.site_key, t.day, t.tz, %s, fz.sessions
                  FROM t JOIN report_visits_frozen fz ON fz.site_key = t.site_key AND fz.day = t.day AND %s
                  WHERE t.lo < (SELECT before FROM pruned)),
                f AS (
                  SELECT site_key, day, tz, %s, coalesce(s.sessions, 0) AS sessions, coalesce(c.calls, 0) AS calls,
                         coalesce(c.answered, 0) AS answered, coalesce(c.missed, 0) AS missed, coalesce(c.talk_seconds, 0) AS talk_seconds,
                         coalesce(c.first_time, 0) AS first_time, coalesce(c.leads, 0) AS leads, coalesce(c.deals, 0) AS deals,
                         coalesce(c.revenue, 0) AS revenue
                  FROM c FULL JOIN s USING (site_key, day, tz, %s))
                """.formatted(callKeys, callJoin, groups, sessionKeys, sessionJoin, groups, frozenKeys, frozenKinds, keys, keys);
    }

    /** The site-days' rows of a daily table (report_days, report_day_terms), made from the calls and visits. */
    String insert(String table) {
        return with(SITE_DAYS) + "INSERT INTO " + table + " (site_key, day, timezone, " + keys
                + ", sessions, calls, answered, missed, talk_seconds, first_time, leads, deals, revenue) SELECT * FROM f";
    }
}
