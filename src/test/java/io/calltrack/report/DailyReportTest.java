package io.calltrack.report;

import io.calltrack.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The daily table agrees with the channel report read from the calls, and follows changes to them. */
@QuarkusTest
class DailyReportTest {

    @Inject
    Pool db;
    @Inject
    ReportDays days;

    private void sql(String statement, Object... args) {
        db.preparedQuery(statement).execute(Tuple.from(args)).await().indefinitely();
    }

    @BeforeEach
    void august() {
        sql("DELETE FROM calls WHERE site_key = 'shop' AND started_at >= '2025-08-01' AND started_at < '2025-09-01'");
        sql("DELETE FROM sessions WHERE site_key = 'shop' AND started_at >= '2025-08-01' AND started_at < '2025-09-01'");
        // 300 calls over the month from 120 callers (the first call of each is its first ever), 3 sources, every
        // 7th a deal of 1,000, every 5th missed; 90 visits, a third of them bots' (not counted)
        sql("""
                INSERT INTO calls (pbx, linkedid, did, caller, started_at, answered_at, ended_at, talk_seconds, disposition,
                                   site_key, source, medium, campaign, repeat_caller, outcome_status, outcome_value, outcome_currency)
                SELECT 'daily', 'd' || g, '+442071230001', '+7916810' || lpad((g % 120)::text, 4, '0'),
                       timestamptz '2025-08-01 00:30Z' + g * interval '2 hours 17 minutes',
                       CASE WHEN g % 5 <> 0 THEN timestamptz '2025-08-01 00:30Z' + g * interval '2 hours 17 minutes' END,
                       timestamptz '2025-08-01 00:35Z' + g * interval '2 hours 17 minutes',
                       CASE WHEN g % 5 <> 0 THEN 30 + g % 90 END, CASE WHEN g % 5 <> 0 THEN 'ANSWERED' ELSE 'NO_ANSWER' END,
                       'shop', (ARRAY['yandex', 'google', NULL])[1 + g % 3], CASE WHEN g % 3 < 2 THEN 'cpc' END,
                       CASE WHEN g % 3 = 0 THEN 'late-summer' END, g > 120,
                       CASE WHEN g % 7 = 0 THEN 'DEAL' WHEN g % 11 = 0 THEN 'LEAD' END, CASE WHEN g % 7 = 0 THEN 1000 END,
                       CASE WHEN g % 7 = 0 THEN 'RUB' END
                FROM generate_series(1, 300) g""");
        sql("""
                INSERT INTO sessions (id, site_key, visitor_id, started_at, last_seen_at, source, medium, bot)
                SELECT 'daily-' || g, 'shop', 'dv' || g, timestamptz '2025-08-02 09:00Z' + g * interval '7 hours',
                       timestamptz '2025-08-02 09:01Z' + g * interval '7 hours', 'yandex', 'cpc', g % 3 = 0
                FROM generate_series(1, 90) g""");
    }

    private static JsonPath daily(String groupBy) {
        return Api.given().queryParam("from", "2025-08-01").queryParam("to", "2025-08-31").queryParam("site", "shop")
                .queryParam("groupBy", groupBy).when().get("/v1/reports/daily").then().statusCode(200).extract().jsonPath();
    }

    private static long sum(JsonPath report, String field, String source) {
        List<Map<String, Object>> rows = report.getList("rows");
        return rows.stream().filter(r -> source == null || source.equals(((Map<?, ?>) r.get("channel")).get("source")))
                .mapToLong(r -> ((Number) r.get(field)).longValue()).sum();
    }

    @Test
    void theDailyFiguresAddUpToTheChannelReportOfTheCalls() {
        days.passNow().await().indefinitely();
        JsonPath raw = Api.given().queryParam("from", "2025-08-01").queryParam("to", "2025-08-31").queryParam("site", "shop")
                .when().get("/v1/reports/sources").then().statusCode(200).extract().jsonPath();
        JsonPath daily = daily("source");
        for (String source : new String[]{"yandex", "google"}) {
            Map<String, Object> row = raw.getMap("rows.find { it.channel.source == '" + source + "' }");
            for (String[] f : new String[][]{{"calls", "calls"}, {"answered", "answered"}, {"missed", "missed"},
                    {"firstTimeCallers", "firstTimeCallers"}, {"leads", "leads"}, {"deals", "deals"}, {"sessions", "sessions"}}) {
                assertEquals(((Number) row.get(f[0])).longValue(), sum(daily, f[1], source), source + " " + f[0]);
            }
        }
        assertEquals(raw.getLong("total.calls"), sum(daily, "calls", null));
        assertEquals(60, sum(daily, "sessions", null), "bots are not visits");
        assertEquals(raw.getDouble("total.revenue"), daily.getList("rows.revenue", Float.class).stream().mapToDouble(Float::doubleValue).sum(), 0.001);
        assertTrue(daily.getString("refreshedAt") != null);
        // each day is the site's own (the test shop names no zone: UTC)
        assertEquals("2025-08-01", daily.getString("rows[0].day"));
    }

    @Test
    void spendOnAChannelWithoutCallsOrVisitsIsCounted() {
        sql("DELETE FROM spend WHERE site_key = 'shop' AND day >= '2025-08-01' AND day < '2025-09-01'");
        Api.given().contentType("text/csv").queryParam("site", "shop")
                .body("date,source,medium,campaign,amount\n2025-08-10,bing,cpc,,77\n2025-08-11,yandex,cpc,,10")
                .when().post("/v1/spend").then().statusCode(200);
        days.passNow().await().indefinitely();
        JsonPath bySource = Api.given().queryParam("from", "2025-08-01").queryParam("to", "2025-08-31").queryParam("site", "shop")
                .queryParam("groupBy", "source").queryParam("perDay", "false").when().get("/v1/reports/daily").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(77.0f, bySource.getFloat("rows.find { it.channel.source == 'bing' }.spend"));
        assertEquals(0, bySource.getInt("rows.find { it.channel.source == 'bing' }.calls"));
        assertEquals(10.0f, bySource.getFloat("rows.find { it.channel.source == 'yandex' }.spend"));
    }

    @Test
    void aChangedOutcomeReachesTheDailyFiguresOnTheNextPass() {
        days.passNow().await().indefinitely();
        long before = sum(daily("none"), "deals", null);
        sql("UPDATE calls SET outcome_status = 'DEAL', outcome_value = 500, outcome_currency = 'RUB', updated_at = clock_timestamp() "
                + "WHERE pbx = 'daily' AND linkedid = 'd1'");
        days.passNow().await().indefinitely();
        assertEquals(before + 1, sum(daily("none"), "deals", null));
    }

    @Test
    void keywordsAndLandingPagesHaveTheirOwnDailyFigures() {
        sql("UPDATE calls SET keyword = CASE WHEN linkedid IN ('d1', 'd2', 'd3') THEN 'red sofa' END, "
                + "landing_url = 'https://shop.example/sofas?utm_term=' || linkedid WHERE pbx = 'daily'");
        days.passNow().await().indefinitely();
        JsonPath raw = Api.given().queryParam("from", "2025-08-01").queryParam("to", "2025-08-31").queryParam("site", "shop")
                .queryParam("groupBy", "keyword").when().get("/v1/reports/sources").then().statusCode(200).extract().jsonPath();
        JsonPath byKeyword = Api.given().queryParam("from", "2025-08-01").queryParam("to", "2025-08-31").queryParam("site", "shop")
                .queryParam("groupBy", "keyword").queryParam("perDay", "false").when().get("/v1/reports/daily").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(3, byKeyword.getInt("rows.find { it.channel.keyword == 'red sofa' }.calls"));
        assertEquals(raw.getInt("rows.find { it.channel.keyword == 'red sofa' }.calls"), 3);
        assertEquals(297, byKeyword.getInt("rows.find { it.channel.keyword == null }.calls"));
        assertEquals(null, (Object) byKeyword.get("rows[0].spend"), "no spend is known by keyword");
        // the largest keyword alone (no keyword, 297 calls), the rest summed
        JsonPath top = report("/v1/reports/daily", Map.of("from", "2025-08-01", "to", "2025-08-31", "groupBy", "keyword", "perDay", "false",
                "limit", 1));
        assertEquals(1, top.getList("rows").size());
        assertEquals(297, top.getInt("rows[0].calls"));
        assertEquals(1, top.getInt("otherChannels"));
        assertEquals(3, top.getInt("others[0].calls"));
        assertEquals(byKeyword.getInt("rows.find { it.channel.keyword == 'red sofa' }.firstTimeCallers"), top.getInt("others[0].firstTimeCallers"));
        assertEquals(byKeyword.getInt("rows.find { it.channel.keyword == 'red sofa' }.answered"), top.getInt("others[0].answered"));
        assertEquals(0, top.getInt("others[0].sessions"));
        JsonPath both = report("/v1/reports/daily", Map.of("from", "2025-08-01", "to", "2025-08-31", "groupBy", "keyword", "perDay", "false",
                "limit", 2));
        assertEquals(List.of(297, 3), both.getList("rows.calls"));
        assertEquals(List.of(), both.getList("others"));
        assertEquals(0, both.getInt("otherChannels"));
        Api.given().queryParam("from", "2025-08-01").queryParam("to", "2025-08-31").queryParam("site", "shop")
                .queryParam("groupBy", "landing").queryParam("perDay", "false").when().get("/v1/reports/daily").then().statusCode(200)
                .body("rows.find { it.channel.landing == 'https://shop.example/sofas' }.calls", equalTo(300));
    }

    private static JsonPath report(String path, Map<String, Object> params) {
        return Api.given().queryParam("site", "shop").queryParams(params).when().get(path).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void anotherTimeZoneCutsTheRangeThereAndAddsUpToTheCallsOfThatRange() {
        days.passNow().await().indefinitely();
        // Tokyo is 9 hours ahead of the shop's UTC days, St John's 3.5 behind: each end of the range is a part of a site-day
        for (String[] range : new String[][]{{"Asia/Tokyo", "2025-08-05", "2025-08-20"}, {"America/St_Johns", "2025-08-03", "2025-08-17"},
                {"Asia/Tokyo", "2025-08-10", "2025-08-10"}}) {
            for (String groupBy : new String[]{"source", "keyword"}) {
                String what = String.join(" ", range) + " by " + groupBy;
                Map<String, Object> params = Map.of("from", range[1], "to", range[2], "tz", range[0], "groupBy", groupBy);
                JsonPath raw = report("/v1/reports/sources", params);
                Map<String, Object> zonedParams = new java.util.HashMap<>(params);
                zonedParams.put("perDay", "false");
                JsonPath zoned = report("/v1/reports/daily", zonedParams);
                assertEquals(range[0], zoned.getString("timezone"));
                assertTrue(raw.getLong("total.calls") > 0, what);
                List<Map<String, Object>> rows = raw.getList("rows");
                assertEquals(rows.size(), zoned.getList("rows").size(), what);
                for (Map<String, Object> row : rows) {
                    Object value = ((Map<?, ?>) row.get("channel")).get(groupBy);
                    String find = "rows.find { it.channel." + groupBy + " == " + (value == null ? "null" : "'" + value + "'") + " }";
                    for (String f : new String[]{"sessions", "calls", "answered", "missed", "firstTimeCallers", "leads", "deals"}) {
                        assertEquals(((Number) row.get(f)).longValue(), zoned.getLong(find + "." + f), what + " " + value + " " + f);
                    }
                    assertEquals(((Number) row.get("revenue")).doubleValue(), zoned.getDouble(find + ".revenue"), 0.001, what);
                }
                // the largest one alone, and the rest summed: read by the ranking that sums the top ones' figures only
                zonedParams.put("limit", 1);
                JsonPath top = report("/v1/reports/daily", zonedParams);
                assertEquals(1, top.getList("rows").size(), what);
                assertEquals(zoned.getString("rows[0].channel." + groupBy), top.getString("rows[0].channel." + groupBy), what);
                boolean rest = rows.size() > 1;
                assertEquals(rows.size() - 1, top.getInt("otherChannels"), what);
                for (String f : new String[]{"sessions", "calls", "answered", "missed", "firstTimeCallers", "leads", "deals"}) {
                    assertEquals(zoned.getLong("rows[0]." + f), top.getLong("rows[0]." + f), what + " top " + f);
                    if (rest) {
                        assertEquals(raw.getLong("total." + f) - zoned.getLong("rows[0]." + f), top.getLong("others[0]." + f), what + " rest " + f);
                    }
                }
            }
        }
        // in the site's own zone nothing is read from the calls, and the figures are the same as without tz
        JsonPath own = report("/v1/reports/daily", Map.of("from", "2025-08-05", "to", "2025-08-20", "tz", "UTC", "perDay", "false"));
        JsonPath plain = report("/v1/reports/daily", Map.of("from", "2025-08-05", "to", "2025-08-20", "perDay", "false"));
        assertEquals(plain.getList("rows.calls"), own.getList("rows.calls"));
        Api.given().queryParam("from", "2025-08-01").queryParam("to", "2025-08-31").queryParam("tz", "Asia/Tokyo")
                .when().get("/v1/reports/daily").then().statusCode(400).body("field", equalTo("tz"));
        for (String groupBy : new String[]{"keyword", "source", "none"}) { // across sites
            Api.given().queryParam("from", "2025-08-01").queryParam("to", "2025-08-31").queryParam("tz", "Asia/Tokyo")
                    .queryParam("groupBy", groupBy).queryParam("perDay", "false").when().get("/v1/reports/daily").then().statusCode(200);
        }
    }

    @Test
    void aLimitKeepsTheLargestChannelsAndSumsTheRest() {
        days.passNow().await().indefinitely();
        JsonPath all = report("/v1/reports/daily", Map.of("from", "2025-08-01", "to", "2025-08-31", "perDay", "false"));
        JsonPath top = report("/v1/reports/daily", Map.of("from", "2025-08-01", "to", "2025-08-31", "perDay", "false", "limit", 1));
        long total = sum(all, "calls", null);
        assertEquals(1, top.getList("rows").size());
        assertEquals(all.getString("rows[0].channel.source"), top.getString("rows[0].channel.source"));
        assertEquals(all.getList("rows").size() - 1, top.getInt("otherChannels"));
        assertEquals(1, top.getList("others").size());
        assertEquals(total - top.getLong("rows[0].calls"), top.getLong("others[0].calls"));
        assertEquals(null, (Object) top.get("others[0].channel"));
        // per day: the top channel's days, and the rest summed per day
        JsonPath daysTop = report("/v1/reports/daily", Map.of("from", "2025-08-01", "to", "2025-08-31", "limit", 1));
        assertEquals(List.of(top.getString("rows[0].channel.source")), daysTop.getList("rows.channel.source").stream().distinct().toList());
        long perDay = daysTop.getList("rows.calls", Long.class).stream().mapToLong(Long::longValue).sum()
                + daysTop.getList("others.calls", Long.class).stream().mapToLong(Long::longValue).sum();
        assertEquals(total, perDay);
        assertTrue(daysTop.getList("others").size() > 1, "one others row per day");
        Api.given().queryParam("from", "2025-08-01").queryParam("to", "2025-08-31").queryParam("limit", "0")
                .when().get("/v1/reports/daily").then().statusCode(400).body("field", equalTo("limit"));
    }

    @Test
    void aBadGroupingIsRefusedByName() {
        Api.given().queryParam("from", "2025-08-01").queryParam("to", "2025-08-31").queryParam("groupBy", "keyword,source")
                .when().get("/v1/reports/daily").then().statusCode(400).body("field", equalTo("groupBy"))
                .body("detail", containsString("source, medium, campaign"));
        Api.given().queryParam("from", "2025-08-31").queryParam("to", "2025-08-01")
                .when().get("/v1/reports/daily").then().statusCode(400).body("field", equalTo("to"));
    }
}
