package io.calltrack.report;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** The daily report's SQL over the daily tables (see {@link DailyReportResource}). */
final class DailyQuery {

    private DailyQuery() {
    }

    /** The range's days ($1, $2) of one site ($3) or all. */
    private static final String WHERE = " WHERE day >= $1 AND day <= $2 AND ($3::text IS NULL OR site_key = $3)";

    /** The figures that add up, per row of the daily table, for the range; with tz the table's whole days and the edges' own. */
    private static final String FIGURES = "sessions, calls, answered, missed, talk_seconds, first_time, leads, deals, revenue";

    /** {@link #FIGURES} summed, talk_seconds as talk. */
    private static final String SUMS = "sum(sessions) AS sessions, sum(calls) AS calls, sum(answered) AS answered, sum(missed) AS missed, "
            + "sum(talk_seconds) AS talk, sum(first_time) AS first_time, sum(leads) AS leads, sum(deals) AS deals, sum(revenue) AS revenue";

    /**
     * $1/$2 the days, $3 the site (null: all), $4 the limit (null: none); with tz also $5..$7 the edge slices
     * (site, from, to) and $8..$10 each site's whole days (site, first, last).
     */
    static String sql(List<String> dims, boolean terms, boolean perDay, boolean zoned, boolean limited) {
        if (terms && limited && !perDay) {
            return topTerms(dims.get(0), zoned);
        }
        DayFigures figures = terms ? DayFigures.TERMS : DayFigures.CHANNELS;
        String table = terms ? "report_day_terms" : "report_days";
        String kind = terms ? " AND kind = '" + dims.get(0) + "'" : "";
        String src = zoned
                ? figures.with("SELECT site_key, NULL::date AS day, ''::text AS tz, lo, hi "
                        + "FROM unnest($5::text[], $6::timestamptz[], $7::timestamptz[]) AS t(site_key, lo, hi)")
                  + ", src AS (SELECT site_key, day, " + figures.keys + ", " + FIGURES + " FROM f WHERE true" + kind
                  + " UNION ALL SELECT r.site_key, r.day, " + figures.keys + ", " + FIGURES + " FROM " + table + " r JOIN "
                  + "unnest($8::text[], $9::date[], $10::date[]) AS w(site_key, d1, d2) ON r.site_key = w.site_key "
                  // the slices are the site's alone already; named here so that every variant takes the same parameters
                  + "AND r.day >= w.d1 AND r.day <= w.d2 AND ($3::text IS NULL OR r.site_key = $3)" + kind + ")"
                : "WITH src AS (SELECT * FROM " + table + WHERE + kind + ")";
        List<String> keys = new ArrayList<>(), exprs = new ArrayList<>();
        if (perDay) {
            keys.add("day");
            exprs.add("day");
        }
        for (String d : dims) {
            keys.add(d);
            exprs.add(terms ? "term AS " + d : d);
        }
        String select = exprs.isEmpty() ? "" : String.join(", ", exprs) + ", ";
        String grouped = keys.isEmpty() ? "" : " GROUP BY " + String.join(", ", keys);
        String joined = keys.isEmpty() || terms ? "r CROSS JOIN p" : "r FULL JOIN p USING (" + String.join(", ", keys) + ")";
        String totals = "sum(sessions) AS sessions, sum(calls) AS calls, sum(answered) AS answered, sum(missed) AS missed, "
                + "sum(talk) AS talk, sum(first_time) AS first_time, sum(leads) AS leads, sum(deals) AS deals, sum(revenue) AS revenue, "
                + "sum(spend) AS spend";
        String head = src + ", r AS (SELECT " + select + SUMS + " FROM src" + grouped + "),"
                + (terms ? " p AS (SELECT NULL::numeric AS spend)"
                        : " p AS (SELECT " + (keys.isEmpty() ? "" : String.join(", ", keys) + ", ") + "sum(amount) AS spend FROM spend"
                        + WHERE + grouped + ")")
                + ", j AS (SELECT * FROM " + joined + ")";
        String state = "(SELECT refreshed_at FROM report_days_state) AS refreshed_at";
        if (dims.isEmpty()) {
            return head + " SELECT " + (perDay ? "day, " : "") + totals + ", false AS other, 0::bigint AS other_channels, " + state
                    + " FROM j WHERE $4::int IS NULL OR $4::int > 0" + (perDay ? " GROUP BY day ORDER BY day" : "");
        }
        // the channels ranked by their range totals; past the limit, summed into one row (per day) marked other. Without
        // days j holds a row per channel already: ranked as it is, with no second grouping (keywords run to tens of thousands)
        String dimList = String.join(", ", dims), past = "x.rank > coalesce($4, 2147483647)";
        StringBuilder shown = new StringBuilder();
        for (String d : dims) {
            shown.append("CASE WHEN ").append(past).append(" THEN NULL ELSE x.").append(d).append(" END AS ").append(d).append(", ");
        }
        String ranked = perDay
                ? ", k AS (SELECT " + dimList + ", row_number() OVER (ORDER BY sum(calls) DESC NULLS LAST, sum(sessions) DESC NULLS LAST, "
                  + dimList + ") AS rank FROM j GROUP BY " + dimList + "), x AS (SELECT j.*, k.rank FROM j JOIN k USING (" + dimList + "))"
                : ", x AS (SELECT j.*, row_number() OVER (ORDER BY calls DESC NULLS LAST, sessions DESC NULLS LAST, " + dimList
                  + ") AS rank FROM j)";
        String others = perDay ? "(SELECT count(*) FROM k WHERE k.rank > coalesce($4, 2147483647))"
                : "CASE WHEN bool_or(" + past + ") THEN count(*) ELSE 0 END";
        return head + ranked + " SELECT " + (perDay ? "x.day, " : "") + shown + "(" + past + ") AS other, " + totals
                + ", " + others + " AS other_channels, " + state + " FROM x GROUP BY " + (perDay ? "x.day, " : "") + "other, "
                + IntStream.rangeClosed(1, dims.size()).mapToObj(i -> String.valueOf(i + (perDay ? 1 : 0))).collect(Collectors.joining(", "))
                + " ORDER BY " + (perDay ? "x.day, " : "") + "other, calls DESC NULLS LAST, sessions DESC NULLS LAST";
    }

    /**
     * The largest keywords or landing pages over the range and the rest summed, without summing every figure of
     * every term (tens of thousands of keywords over a month): the terms ranked by calls and visits alone, every
     * figure summed for the top ones only, and the rest as the channel table's total (tot: the same calls and visits,
     * rebuilt in the same passes) less the top ones'. In another zone the tables give each site's whole days and
     * the calls and visits of the edge hours are added to both (each call has one term of each kind, '' if none).
     */
    private static String topTerms(String kind, boolean zoned) {
        String kindIs = " AND kind = '" + kind + "'";
        String edges = zoned ? " UNION ALL SELECT %s FROM e WHERE true%s" : "";
        StringBuilder rest = new StringBuilder();
        for (String f : new String[]{"sessions", "calls", "answered", "missed", "talk", "first_time", "leads", "deals", "revenue"}) {
            rest.append("tot.").append(f).append(" - coalesce(sum(top.").append(f).append("), 0) AS ").append(f).append(", ");
        }
        String top = " AND term IN (SELECT top_term FROM rk)";
        // the top ones' rows read term by term from the term index, whatever the planner guesses of the terms' count
        String terms = rangeOf("report_day_terms", zoned, kindIs),
                ofTop = "rk CROSS JOIN LATERAL (SELECT r.* FROM " + rangeOf("report_day_terms", zoned, kindIs + " AND term = rk.top_term") + ") r";
        // ties broken by the term's bytes (COLLATE "C"): the same order every time, without the locale's slower compare
        return (zoned ? DayFigures.terms(List.of(kind)).with("SELECT site_key, NULL::date AS day, ''::text AS tz, lo, hi "
                        + "FROM unnest($5::text[], $6::timestamptz[], $7::timestamptz[]) AS t(site_key, lo, hi)")
                + ", e AS MATERIALIZED (SELECT term, " + FIGURES + " FROM f WHERE kind = '" + kind + "'), " : "WITH ")
                + "g AS MATERIALIZED (SELECT term, sum(calls) AS c, sum(sessions) AS s FROM (SELECT term, calls, sessions FROM " + terms
                + edges.formatted("term, calls, sessions", "") + ") u GROUP BY term),"
                + " rk AS (SELECT term AS top_term, (SELECT count(*) FROM g) AS n FROM g ORDER BY c DESC NULLS LAST, s DESC NULLS LAST, term COLLATE \"C\" LIMIT $4),"
                + " top AS (SELECT term, " + SUMS + " FROM (SELECT r.term, " + FIGURES + " FROM " + ofTop
                + edges.formatted("term, " + FIGURES, top) + ") u GROUP BY term),"
                + " tot AS (SELECT " + SUMS + " FROM (SELECT " + FIGURES + " FROM " + rangeOf("report_days", zoned, "") + edges.formatted(FIGURES, "") + ") u),"
                + " st AS (SELECT refreshed_at FROM report_days_state)"
                + " SELECT term AS " + kind + ", false AS other, top.sessions, top.calls, top.answered, top.missed, top.talk, top.first_time,"
                + " top.leads, top.deals, top.revenue, NULL::numeric AS spend, 0::bigint AS other_channels, st.refreshed_at FROM top, st"
                + " UNION ALL SELECT NULL, true, " + rest + "NULL::numeric, (SELECT max(n) FROM rk) - count(top.term), st.refreshed_at"
                + " FROM tot CROSS JOIN st LEFT JOIN top ON true"
                + " GROUP BY tot.sessions, tot.calls, tot.answered, tot.missed, tot.talk, tot.first_time, tot.leads, tot.deals, tot.revenue, st.refreshed_at"
                + " HAVING (SELECT max(n) FROM rk) > count(top.term)"
                + " ORDER BY other, calls DESC NULLS LAST, sessions DESC NULLS LAST";
    }

    /**
     * A daily table's rows over the range that meet {@code and} (conditions, each starting with AND): its days, or in
     * another zone each site's whole days ($8..$10), read from the day index between the first and the last of them;
     * each row's own site's days are looked up only when the sites' days differ (sites in more than one zone).
     */
    private static String rangeOf(String table, boolean zoned, String and) {
        String at = "array_position($8::text[], site_key::text)]";
        return zoned
                ? table + " r WHERE day >= (SELECT min(d) FROM unnest($9::date[]) d) AND day <= (SELECT max(d) FROM unnest($10::date[]) d)"
                  + " AND site_key = ANY ($8::text[]) AND ($3::text IS NULL OR site_key = $3)"
                  + " AND ((SELECT count(DISTINCT (a, b)) = 1 FROM unnest($9::date[], $10::date[]) AS u(a, b))"
                  + " OR (day >= ($9::date[])[" + at + " AND day <= ($10::date[])[" + at + "))" + and
                : table + " r" + WHERE + and;
    }
}
