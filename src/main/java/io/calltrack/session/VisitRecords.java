package io.calltrack.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.pool.VisitSink;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/** Writes logged visits into the sessions table, a batch per statement; replays are harmless. */
@ApplicationScoped
class VisitRecords implements VisitSink {

    private final ObjectMapper json;

    VisitRecords(ObjectMapper json) {
        this.json = json;
    }

    String toJson(VisitRecord visit) {
        try {
            return json.writeValueAsString(visit);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A batch of visits, a column per array; a visit written before (a replayed entry) is left as it was. */
    static final String INSERT = """
            INSERT INTO sessions (id, site_key, visitor_id, pool_id, number, source, medium, campaign, content, keyword,
                                  landing_url, referrer, gclid, yclid, fbclid, ga_client_id, page_title, user_agent, ip,
                                  msclkid, ttclid, started_at, last_seen_at, bot)
            SELECT id, site, visitor, pool, number, source, medium, campaign, content, keyword, url, referrer, gclid,
                   yclid, fbclid, ga, title, ua, ip, msclkid, ttclid, to_timestamp(started / 1000.0),
                   to_timestamp(started / 1000.0), bot
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                        $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[],
                        $16::text[], $17::text[], $18::text[], $19::text[], $20::text[], $21::text[], $22::bigint[],
                        $23::bool[])
                 AS t(id, site, visitor, pool, number, source, medium, campaign, content, keyword, url, referrer, gclid,
                      yclid, fbclid, ga, title, ua, ip, msclkid, ttclid, started, bot)
            ON CONFLICT (id, started_at) DO NOTHING""";

    @Override
    public Uni<Void> store(SqlClient tx, List<Visit> logged) {
        List<VisitRecord> visits = new ArrayList<>(logged.size());
        for (Visit v : logged) {
            try {
                VisitRecord visit = json.readValue(v.json(), VisitRecord.class);
                visits.add(v.number() == null ? visit : visit.withNumber(v.poolId(), v.number()));
            } catch (JsonProcessingException e) {
                return Uni.createFrom().failure(e); // the writer parks the unreadable one and stores the rest
            }
        }
        if (visits.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = visits.size();
        String[][] cols = new String[21][n];
        Long[] started = new Long[n];
        Boolean[] bot = new Boolean[n];
        for (int i = 0; i < n; i++) {
            VisitRecord v = visits.get(i);
            String[] row = {v.id(), v.site(), v.visitor(), v.pool(), v.number(), v.source(), v.medium(), v.campaign(),
                    v.content(), v.keyword(), v.url(), v.referrer(), v.gclid(), v.yclid(), v.fbclid(), v.ga(), v.title(),
                    v.ua(), v.ip(), v.msclkid(), v.ttclid()};
            for (int c = 0; c < row.length; c++) {
                cols[c][i] = row[c];
            }
            started[i] = v.started();
            bot[i] = v.bot();
        }
        Object[] params = new Object[23];
        System.arraycopy(cols, 0, params, 0, 21);
        params[21] = started;
        params[22] = bot;
        return tx.preparedQuery(INSERT).execute(Tuple.from(params)).replaceWithVoid();
    }
}
