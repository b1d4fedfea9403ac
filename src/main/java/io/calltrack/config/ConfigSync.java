package io.calltrack.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * Writes a validated number-pool.yaml into PostgreSQL, idempotently and in one transaction: sites and
 * pools are upserted, numbers join their pool, numbers no longer listed are set DRAINING (kept, so calls
 * to them still find their last holder), and a quarantine set by an admin survives a reload.
 */
@ApplicationScoped
class ConfigSync {

    private final Pool db;
    private final ObjectMapper json;

    ConfigSync(Pool db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    Uni<Void> write(PoolFile file) {
        return db.withTransaction(conn -> {
            Uni<Void> chain = conn.query("UPDATE sites SET active = false").execute().replaceWithVoid()
                    .chain(() -> conn.query("UPDATE pools SET active = false").execute().replaceWithVoid());
            for (SiteSpec site : file.sites()) {
                chain = chain.chain(() -> upsertSite(conn, site));
                for (int i = 0; i < site.pools().size(); i++) {
                    PoolSpec pool = site.pools().get(i);
                    int position = i;
                    chain = chain.chain(() -> upsertPool(conn, pool, position)).chain(() -> syncNumbers(conn, pool));
                }
            }
            // numbers of pools that left the file drain too
            return chain.chain(() -> conn.query("""
                    UPDATE pool_numbers n SET state = 'DRAINING', updated_at = now()
                    FROM pools p WHERE p.id = n.pool_id AND NOT p.active AND n.state = 'ACTIVE'""")
                    .execute().replaceWithVoid());
        });
    }

    /** Every number PostgreSQL knows, in any state, with its pool: the number directory. */
    Uni<java.util.Map<String, String>> directory() {
        return db.query("SELECT number, pool_id FROM pool_numbers").execute().map(rows -> {
            java.util.Map<String, String> out = new java.util.HashMap<>();
            rows.forEach(r -> out.put(r.getString("number"), r.getString("pool_id")));
            return out;
        });
    }

    private Uni<Void> upsertSite(SqlConnection conn, SiteSpec site) {
        return conn.preparedQuery("""
                INSERT INTO sites (key, name, region, domains, printed_numbers, default_number, active, updated_at)
                VALUES ($1, $2, $3, $4, $5, $6, true, now())
                ON CONFLICT (key) DO UPDATE SET name = excluded.name, region = excluded.region,
                  domains = excluded.domains, printed_numbers = excluded.printed_numbers,
                  default_number = excluded.default_number,
                  active = true, updated_at = now()""")
                .execute(Tuple.from(List.of(site.key(), site.name(), site.region(), String.join(",", site.domains()),
                        String.join(",", site.printedNumbers().stream().map(SiteSpec.PrintedNumber::e164).toList()),
                        site.defaultNumber() == null ? "" : site.defaultNumber())))
                .replaceWithVoid();
    }

    private Uni<Void> upsertPool(SqlConnection conn, PoolSpec pool, int position) {
        Tuple row = Tuple.tuple()
                .addString(pool.id()).addString(pool.siteKey()).addString(pool.kind().name()).addInteger(position)
                .addString(toJson(pool.match())).addLong(pool.hold().toSeconds())
                .addLong(pool.lateCallWindow().toSeconds()).addString(pool.exhaustion().name())
                .addString(pool.attribute().get("source")).addString(pool.attribute().get("medium"))
                .addString(pool.attribute().get("campaign"));
        return conn.preparedQuery("""
                INSERT INTO pools (id, site_key, kind, position, match_rule, hold_seconds, late_window_seconds,
                                   exhaustion, attribute_source, attribute_medium, attribute_campaign, active, updated_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, true, now())
                ON CONFLICT (id) DO UPDATE SET site_key = excluded.site_key, kind = excluded.kind,
                  position = excluded.position, match_rule = excluded.match_rule, hold_seconds = excluded.hold_seconds,
                  late_window_seconds = excluded.late_window_seconds, exhaustion = excluded.exhaustion,
                  attribute_source = excluded.attribute_source, attribute_medium = excluded.attribute_medium,
                  attribute_campaign = excluded.attribute_campaign, active = true, updated_at = now()""")
                .execute(row).replaceWithVoid();
    }

    /** One statement each way, whatever the pool size (arrays, not a row per number). */
    private Uni<Void> syncNumbers(SqlConnection conn, PoolSpec pool) {
        String[] numbers = pool.numbers().toArray(String[]::new);
        return conn.preparedQuery("""
                INSERT INTO pool_numbers (number, pool_id, state, origin, added_at, updated_at)
                SELECT n, $2, 'ACTIVE', 'CONFIG', now(), now() FROM unnest($1::text[]) AS n
                ON CONFLICT (number) DO UPDATE SET
                  origin = 'CONFIG',
                  state = CASE WHEN pool_numbers.state = 'QUARANTINED' AND pool_numbers.pool_id = excluded.pool_id
                               THEN 'QUARANTINED' ELSE 'ACTIVE' END,
                  pool_id = excluded.pool_id,
                  updated_at = CASE WHEN pool_numbers.state = 'ACTIVE' AND pool_numbers.pool_id = excluded.pool_id
                                    THEN pool_numbers.updated_at ELSE now() END""")
                .execute(Tuple.of(numbers, pool.id()))
                .chain(() -> conn.preparedQuery("""
                        UPDATE pool_numbers SET state = 'DRAINING', updated_at = now()
                        WHERE pool_id = $1 AND state <> 'DRAINING' AND origin = 'CONFIG'
                          AND NOT (number = ANY($2::text[]))""")
                        .execute(Tuple.of(pool.id(), numbers)))
                .replaceWithVoid();
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
