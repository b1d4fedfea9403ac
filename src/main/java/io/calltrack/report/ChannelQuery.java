package io.calltrack.report;

import io.calltrack.web.ApiException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The channel report's SQL: calls, visits and spend each grouped by the chosen dimensions, then joined.
 * Parameters: $1/$2 the instants the range spans, $3 the site (null: all), $4/$5 its first and last day, and
 * $6 the time zone when grouped by day ({@link #byDay}).
 */
final class ChannelQuery {

    /** A column to group by, in calls and sessions alike, and in spend where it is recorded (per source, medium, campaign, day). */
    enum Dimension {
        SOURCE("source", "source", "source"), MEDIUM("medium", "medium", "medium"), CAMPAIGN("campaign", "campaign", "campaign"),
        KEYWORD("keyword", "keyword", null), LANDING("landing", "split_part(landing_url, '?', 1)", null),
        /** The local day (in the report's time zone, $6) the call rang or the visit began. */
        DAY("day", "to_char(started_at AT TIME ZONE $6, 'YYYY-MM-DD')", "to_char(day, 'YYYY-MM-DD')");

        final String name;
        final String column;
        final String spendColumn;
        final boolean hasSpend;

        Dimension(String name, String column, String spendColumn) {
            this.name = name;
            this.column = column;
            this.spendColumn = spendColumn;
            this.hasSpend = spendColumn != null;
        }
    }

    static final String NAMES = "source, medium, campaign, keyword, landing, day";

    private ChannelQuery() {
    }

    static List<Dimension> dimensions(String groupBy) {
        List<Dimension> dims = new ArrayList<>();
        for (String part : groupBy.split(",")) {
            try {
                Dimension d = Dimension.valueOf(part.trim().toUpperCase(Locale.ROOT));
                if (!dims.contains(d)) {
                    dims.add(d);
                }
            } catch (IllegalArgumentException e) {
                throw ApiException.badField("groupBy", "groupBy takes " + NAMES + " (comma-separated), not '"
                        + part.trim() + "'");
            }
        }
        if (dims.isEmpty()) {
            // split(",") of "," is empty: without this the SQL would group by nothing and fail to parse
            throw ApiException.badField("groupBy", "groupBy takes " + NAMES + " (comma-separated)");
        }
        return dims;
    }

    static boolean byDay(List<Dimension> dims) {
        return dims.contains(Dimension.DAY);
    }

    static String sql(List<Dimension> dims) {
        boolean spend = dims.stream().allMatch(d -> d.hasSpend);
        String g = IntStream.range(0, dims.size()).mapToObj(i -> "coalesce(" + dims.get(i).column + ", '') AS g" + i)
                .collect(Collectors.joining(", "));
        String groups = IntStream.range(0, dims.size()).mapToObj(i -> String.valueOf(i + 1)).collect(Collectors.joining(", "));
        String keys = IntStream.range(0, dims.size()).mapToObj(i -> "g" + i).collect(Collectors.joining(", "));
        String calls = "SELECT " + g + """
                , count(*) AS calls, count(DISTINCT caller) AS unique_callers,
                  count(DISTINCT caller) FILTER (WHERE NOT repeat_caller) AS first_time_callers,
                  count(*) FILTER (WHERE answered_at IS NOT NULL) AS answered,
                  count(*) FILTER (WHERE answered_at IS NULL AND ended_at IS NOT NULL) AS missed,
                  avg(talk_seconds) FILTER (WHERE answered_at IS NOT NULL) AS avg_talk,
                  count(*) FILTER (WHERE outcome_status IN ('LEAD', 'QUALIFIED', 'DEAL')) AS leads,
                  count(*) FILTER (WHERE outcome_status = 'DEAL') AS deals,
                  coalesce(sum(outcome_value) FILTER (WHERE outcome_status = 'DEAL'), 0) AS revenue
                FROM calls WHERE started_at >= $1 AND started_at < $2 AND ($3::text IS NULL OR site_key = $3)
                GROUP BY """ + " " + groups;
        String sessions = "SELECT " + g + ", count(*) AS sessions FROM sessions WHERE started_at >= $1 AND started_at < $2 "
                + "AND ($3::text IS NULL OR site_key = $3) AND NOT bot GROUP BY " + groups;
        // no spend at this grouping: an empty set, still naming $4 and $5 so every variant takes the same parameters
        String spent = spend
                ? "SELECT " + IntStream.range(0, dims.size()).mapToObj(i -> "coalesce(" + dims.get(i).spendColumn + ", '') AS g" + i)
                        .collect(Collectors.joining(", ")) + ", sum(amount) AS spend FROM spend WHERE day >= $4 AND day <= $5 "
                  + "AND ($3::text IS NULL OR site_key = $3) GROUP BY " + groups
                : "SELECT " + IntStream.range(0, dims.size()).mapToObj(i -> "''::text AS g" + i).collect(Collectors.joining(", "))
                  + ", NULL::numeric AS spend WHERE $4::date IS NULL AND $5::date IS NULL";
        return "WITH c AS (" + calls + "), s AS (" + sessions + "), p AS (" + spent + ") SELECT " + keys
                + ", coalesce(s.sessions, 0) AS sessions, coalesce(c.calls, 0) AS calls, coalesce(c.unique_callers, 0) AS unique_callers,"
                + " coalesce(c.first_time_callers, 0) AS first_time_callers, coalesce(c.answered, 0) AS answered,"
                + " coalesce(c.missed, 0) AS missed, c.avg_talk, coalesce(c.leads, 0) AS leads, coalesce(c.deals, 0) AS deals,"
                + " coalesce(c.revenue, 0) AS revenue, " + (spend ? "coalesce(p.spend, 0)" : "NULL::numeric") + " AS spend"
                + " FROM c FULL JOIN s USING (" + keys + ") FULL JOIN p USING (" + keys + ")"
                + " ORDER BY calls DESC, sessions DESC, " + keys;
    }
}
