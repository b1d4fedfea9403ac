package io.calltrack.report;

import io.calltrack.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

/** The reports the console's funnel, people and charts need, on July 2025 of the shop site, worked out by hand. */
@QuarkusTest
class TeamReportTest {

    @Inject
    Pool db;
    @Inject
    ReportDays days;

    private void sql(String statement, Object... args) {
        db.preparedQuery(statement).execute(Tuple.from(args)).await().indefinitely();
    }

    @BeforeEach
    void july() {
        sql("DELETE FROM calls WHERE site_key = 'shop' AND started_at >= '2025-07-01' AND started_at < '2025-08-01'");
        sql("DELETE FROM sessions WHERE site_key = 'shop' AND started_at >= '2025-07-01' AND started_at < '2025-08-01'");
        sql("DELETE FROM spend WHERE site_key = 'shop' AND day >= '2025-07-01' AND day < '2025-08-01'");
        // 101 answers 3 calls (ring 4, 6, 8 s; talk 60, 120, 180 s; one deal of 5,000, one lead); 102 answers 1 (lost:
        // too expensive; one of 101's calls rang out on 102 first); one call nobody answered rang both (another lost call
        // without a reason); calls at 22:30 UTC on July 1st are July 2nd in Moscow
        sql("""
                INSERT INTO calls (pbx, linkedid, did, caller, started_at, answered_at, ended_at, ring_seconds, talk_seconds,
                                   disposition, extension, site_key, source, medium, outcome_status, outcome_value,
                                   outcome_currency, outcome_lost_reason, missed_by)
                VALUES ('team', 'a1', '+442071230001', '+79160000001', '2025-07-01 22:30Z', '2025-07-01 22:30:04Z', '2025-07-01 22:31Z', 4, 60, 'ANSWERED', '101', 'shop', 'yandex', 'cpc', 'DEAL', 5000, 'RUB', NULL, NULL),
                       ('team', 'a2', '+442071230001', '+79160000002', '2025-07-03 10:00Z', '2025-07-03 10:00:06Z', '2025-07-03 10:02Z', 6, 120, 'ANSWERED', '101', 'shop', 'yandex', 'cpc', 'LEAD', NULL, NULL, NULL, NULL),
                       ('team', 'a3', '+442071230001', '+79160000003', '2025-07-03 11:00Z', '2025-07-03 11:00:08Z', '2025-07-03 11:03Z', 8, 180, 'ANSWERED', '101', 'shop', 'google', 'organic', NULL, NULL, NULL, NULL, '102'),
                       ('team', 'b1', '+442071230001', '+79160000004', '2025-07-03 12:00Z', '2025-07-03 12:00:10Z', '2025-07-03 12:01Z', 10, 30, 'ANSWERED', '102', 'shop', 'yandex', 'cpc', 'LOST', NULL, NULL, 'too expensive', NULL),
                       ('team', 'm1', '+442071230001', '+79160000005', '2025-07-03 13:00Z', NULL, '2025-07-03 13:01Z', 20, NULL, 'NO_ANSWER', NULL, 'shop', 'yandex', 'cpc', 'LOST', NULL, NULL, NULL, '101,102')""");
        sql("""
                INSERT INTO sessions (id, site_key, visitor_id, started_at, last_seen_at, source, medium, bot)
                SELECT 'team-' || g, 'shop', 'v' || g, timestamptz '2025-07-03 09:00Z', timestamptz '2025-07-03 09:01Z', 'yandex', 'cpc', false
                FROM generate_series(1, 4) g""");
    }

    @Test
    void operatorsAreTheAnsweringExtensionsWithWhatTheirCallsBecame() {
        days.passNow().await().indefinitely();
        Api.given().queryParam("from", "2025-07-01").queryParam("to", "2025-07-31").queryParam("site", "shop")
                .when().get("/v1/reports/operators").then().statusCode(200)
                .body("", hasSize(2))
                .body("[0].operator", equalTo("101")).body("[0].answered", equalTo(3)).body("[0].missed", equalTo(1))
                .body("[0].averageRingSeconds", equalTo(6.0f))
                .body("[0].talkSeconds", equalTo(360)).body("[0].leads", equalTo(2)).body("[0].deals", equalTo(1))
                .body("[0].revenue", equalTo(5000.0f))
                .body("[1].operator", equalTo("102")).body("[1].answered", equalTo(1)).body("[1].missed", equalTo(2))
                .body("[1].deals", equalTo(0));
    }

    @Test
    void lostDealsAreGroupedByReasonAndChannel() {
        Api.given().queryParam("from", "2025-07-01").queryParam("to", "2025-07-31").queryParam("site", "shop")
                .when().get("/v1/reports/lost").then().statusCode(200)
                .body("", hasSize(2))
                .body("find { it.reason == 'too expensive' }.lost", equalTo(1))
                .body("find { it.reason == 'too expensive' }.source", equalTo("yandex"))
                .body("find { it.reason == null }.lost", equalTo(1));
    }

    @Test
    void theChannelReportGroupsByTheLocalDay() {
        Api.given().queryParam("from", "2025-07-01").queryParam("to", "2025-07-31").queryParam("site", "shop")
                .queryParam("tz", "Europe/Moscow").queryParam("groupBy", "day,source")
                .when().get("/v1/reports/sources").then().statusCode(200)
                .body("groupBy", equalTo(java.util.List.of("day", "source")))
                .body("rows.find { it.channel.day == '2025-07-02' && it.channel.source == 'yandex' }.calls", equalTo(1))
                .body("rows.find { it.channel.day == '2025-07-02' && it.channel.source == 'yandex' }.revenue", equalTo(5000.0f))
                .body("rows.find { it.channel.day == '2025-07-03' && it.channel.source == 'yandex' }.calls", equalTo(3))
                .body("rows.find { it.channel.day == '2025-07-03' && it.channel.source == 'yandex' }.sessions", equalTo(4))
                .body("rows.find { it.channel.day == '2025-07-01' }", nullValue())
                .body("total.calls", equalTo(5));
        Api.given().queryParam("from", "2025-07-01").queryParam("to", "2025-07-31").queryParam("site", "shop").queryParam("tz", "UTC")
                .queryParam("groupBy", "day").when().get("/v1/reports/sources").then().statusCode(200)
                .body("rows.find { it.channel.day == '2025-07-01' }.calls", equalTo(1));
        Api.given().queryParam("from", "2025-07-01").queryParam("to", "2025-07-31").queryParam("groupBy", "week")
                .when().get("/v1/reports/sources").then().statusCode(400).body("field", equalTo("groupBy"))
                .body("detail", containsString("day"));
    }

    @Test
    void aLostReasonGoesWithALostOutcomeOnly() {
        long id = db.preparedQuery("SELECT id FROM calls WHERE pbx = 'team' AND linkedid = 'a3'").execute().await().indefinitely()
                .iterator().next().getLong("id");
        Api.given().contentType("application/json").body("{\"status\":\"DEAL\",\"lostReason\":\"price\"}")
                .when().put("/v1/calls/" + id + "/outcome").then().statusCode(400).body("field", equalTo("lostReason"));
        Api.given().contentType("application/json").body("{\"status\":\"LOST\",\"lostReason\":\"bad\\u0007bell\"}")
                .when().put("/v1/calls/" + id + "/outcome").then().statusCode(400).body("field", equalTo("lostReason"));
        Api.given().contentType("application/json").body("{\"status\":\"LOST\",\"lostReason\":\" went to a rival \"}")
                .when().put("/v1/calls/" + id + "/outcome").then().statusCode(200)
                .body("outcome.lostReason", equalTo("went to a rival"));
        Api.when().get("/v1/calls/" + id).then().body("call.outcome.lostReason", equalTo("went to a rival"));
    }

    @Test
    void pbxLinksNameTheirStateListenerAndLastCall() {
        Api.when().get("/v1/admin/telephony").then().statusCode(200)
                .body("find { it.pbx == 'lab-pbx' }.state", org.hamcrest.Matchers.notNullValue())
                .body("find { it.pbx == 'lab-pbx' }.replica", org.hamcrest.Matchers.notNullValue());
        Api.as("ct_no_such_key_000000000000").when().get("/v1/admin/telephony").then().statusCode(401);
    }

    @Test
    void theLatestSpendUploadIsNamedWithItsDays() {
        Api.given().contentType("text/csv").queryParam("site", "shop")
                .body("date,source,medium,campaign,amount\n2025-07-02,yandex,cpc,,100\n2025-07-05,google,cpc,,50")
                .when().post("/v1/spend").then().statusCode(200);
        Api.given().queryParam("site", "shop").when().get("/v1/spend/last").then().statusCode(200)
                .body("rows", equalTo(2)).body("firstDay", equalTo("2025-07-02")).body("lastDay", equalTo("2025-07-05"))
                .body("uploadedAt", org.hamcrest.Matchers.notNullValue());
        Api.given().queryParam("site", "lab").when().get("/v1/spend/last").then().statusCode(200)
                .body("uploadedAt", nullValue()).body("rows", equalTo(0));
    }
}
