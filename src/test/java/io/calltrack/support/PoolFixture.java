package io.calltrack.support;

import io.calltrack.config.ActiveConfig;
import io.calltrack.config.PoolSpec;
import io.calltrack.pool.PoolState;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/** Puts a configured pool back in its initial state: no leases, no history, every number free. */
@ApplicationScoped
public class PoolFixture {

    private final ReactiveRedisDataSource redis;
    private final Pool db;
    private final PoolState state;
    private final ActiveConfig config;

    PoolFixture(ReactiveRedisDataSource redis, Pool db, PoolState state, ActiveConfig config) {
        this.redis = redis;
        this.db = db;
        this.state = state;
        this.config = config;
    }

    public PoolSpec fresh(String poolId) {
        PoolSpec pool = config.pool(poolId).orElseThrow(() -> new IllegalArgumentException("no pool " + poolId));
        var keys = redis.key(String.class).keys("ct:{pool:" + poolId + "}:*").await().indefinitely();
        if (!keys.isEmpty()) {
            redis.key(String.class).del(keys.toArray(String[]::new)).await().indefinitely();
        }
        db.preparedQuery("DELETE FROM leases WHERE pool_id = $1").execute(Tuple.of(poolId)).await().indefinitely();
        state.sync(pool).await().indefinitely();
        return pool;
    }
}
