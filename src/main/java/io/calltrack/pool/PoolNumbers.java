package io.calltrack.pool;

import io.calltrack.config.ActiveConfig;
import io.calltrack.config.ConfigChanges;
import io.calltrack.config.PoolSpec;
import io.calltrack.phone.PhoneNumbers;
import io.calltrack.web.ApiException;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A pool's numbers with their state, and the admin's changes to them (add, drain, quarantine, activate). */
@ApplicationScoped
class PoolNumbers {

    private final Pool db;
    private final ReactiveRedisDataSource redis;
    private final PoolState state;
    private final ActiveConfig config;
    private final ConfigChanges changes;

    PoolNumbers(Pool db, ReactiveRedisDataSource redis, PoolState state, ActiveConfig config, ConfigChanges changes) {
        this.db = db;
        this.redis = redis;
        this.state = state;
        this.config = config;
        this.changes = changes;
    }

    /**
     * @param live      LEASED, FREE or OUT (blocked and not leased)
     * @param holders   sessions holding it now (more than one when shared)
     * @param releasedAt when it last came back to the free set (its LRU rank)
     */
    record NumberState(@Schema(examples = "+74951110005") String number, PoolNumber.State state,
                       @Schema(examples = "CONFIG") String origin, @Schema(examples = "LEASED") String live, List<String> holders,
                       Instant leaseExpires, Instant releasedAt) {
    }

    Uni<List<NumberState>> list(PoolSpec pool) {
        String id = pool.id();
        return Uni.combine().all().unis(
                        db.preparedQuery("SELECT number, state, origin FROM pool_numbers WHERE pool_id = $1 ORDER BY number")
                                .execute(Tuple.of(id)),
                        redis.sortedSet(String.class).zrangeWithScores(PoolKeys.free(id), 0, -1),
                        redis.sortedSet(String.class).zrangeWithScores(PoolKeys.sess(id), 0, -1),
                        redis.hash(String.class).hgetall(PoolKeys.lease(id)))
                .with((rows, free, sessions, leases) -> {
                    Map<String, Double> released = new HashMap<>();
                    free.forEach(s -> released.put(s.value(), s.score()));
                    Map<String, Double> expires = new HashMap<>();
                    Map<String, List<String>> holders = new HashMap<>();
                    sessions.forEach(s -> {
                        String rec = leases.get(s.value());
                        if (rec != null) {
                            String number = rec.substring(0, rec.indexOf('|'));
                            holders.computeIfAbsent(number, n -> new ArrayList<>()).add(s.value());
                            expires.merge(number, s.score(), Math::max);
                        }
                    });
                    List<NumberState> out = new ArrayList<>();
                    for (Row row : rows) {
                        String n = row.getString("number");
                        String live = expires.containsKey(n) ? "LEASED" : released.containsKey(n) ? "FREE" : "OUT";
                        Double rel = released.get(n);
                        out.add(new NumberState(n, PoolNumber.State.valueOf(row.getString("state")), row.getString("origin"),
                                pool.isDynamic() ? live : "STATIC", holders.getOrDefault(n, List.of()),
                                expires.containsKey(n) ? Instant.ofEpochMilli(expires.get(n).longValue()) : null,
                                rel == null || rel == 0 ? null : Instant.ofEpochMilli(rel.longValue())));
                    }
                    return out;
                });
    }

    /** Adds a number to a pool (kept across config reloads); 409 when another pool has it. Answers it in E.164. */
    Uni<String> add(PoolSpec pool, String raw) {
        String region = config.site(pool.siteKey()).orElseThrow().region();
        String number = PhoneNumbers.toE164(raw, region)
                .orElseThrow(() -> ApiException.badField("number", "'" + raw + "' is not a valid phone number in region " + region));
        return db.preparedQuery("SELECT pool_id FROM pool_numbers WHERE number = $1").execute(Tuple.of(number))
                .chain(rows -> {
                    String owner = rows.size() > 0 ? rows.iterator().next().getString("pool_id") : null;
                    if (owner != null && !pool.id().equals(owner)) {
                        // another site's pool is named to nobody: a key limited to this site must not learn of it
                        boolean sameSite = config.pool(owner).map(p -> p.siteKey().equals(pool.siteKey())).orElse(false);
                        return Uni.createFrom().failure(ApiException.conflict(number + " already belongs to "
                                + (sameSite ? "pool " + owner : "another site")));
                    }
                    return db.preparedQuery("""
                            INSERT INTO pool_numbers (number, pool_id, state, origin) VALUES ($1, $2, 'ACTIVE', 'API')
                            ON CONFLICT (number) DO UPDATE SET state = 'ACTIVE', updated_at = now()""")
                            .execute(Tuple.of(number, pool.id()))
                            .chain(() -> pool.isDynamic() ? state.syncNumber(pool, number, PoolNumber.State.ACTIVE)
                                    : Uni.createFrom().voidItem())
                            .invoke(() -> config.addToDirectory(number, pool.id()))
                            .call(changes::announce)
                            .replaceWith(number);
                });
    }

    /** Sets a number's state; DRAINING and QUARANTINED stop new leases, a live one runs out. */
    Uni<Void> setState(PoolSpec pool, String raw, PoolNumber.State target) {
        String region = config.site(pool.siteKey()).orElseThrow().region();
        String number = PhoneNumbers.toE164(raw, region).orElse(raw);
        return db.preparedQuery("UPDATE pool_numbers SET state = $3, updated_at = now() WHERE pool_id = $1 AND number = $2")
                .execute(Tuple.of(pool.id(), number, target.name()))
                .chain(result -> result.rowCount() == 0
                        ? Uni.createFrom().failure(ApiException.notFound("pool " + pool.id() + " has no number " + number))
                        : pool.isDynamic() ? state.syncNumber(pool, number, target) : Uni.createFrom().voidItem());
    }
}
