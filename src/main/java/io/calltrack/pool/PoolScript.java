package io.calltrack.pool;

import io.calltrack.Resources;
import io.calltrack.config.PoolSpec;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs redis/pool.lua by its SHA1 (EVALSHA), loading it again when the server answers NOSCRIPT (after
 * a restart or SCRIPT FLUSH), so the hot path sends only the hash and never the script text.
 */
@ApplicationScoped
class PoolScript {

    /** A live session's last-seen time is logged to PostgreSQL at most this often. */
    static final String SEEN_LOG_EVERY_MS = "60000";

    private final ReactiveRedisDataSource redis;
    private final String source;
    private final String sha;

    @Inject
    PoolScript(ReactiveRedisDataSource redis) {
        this(redis, Resources.text("/redis/pool.lua"));
    }

    /** Another script called as pool.lua is (the benchmark's baseline). */
    PoolScript(ReactiveRedisDataSource redis, String source) {
        this.redis = redis;
        this.source = source;
        this.sha = Resources.sha1Hex(source);
    }

    /** Runs one op of the script for a pool: {@code args} are the op's own arguments (ARGV 6..). */
    Uni<Response> run(PoolSpec pool, String op, long nowMs, List<String> args) {
        List<String> keys = PoolKeys.scriptKeys(pool.id(), nowMs);
        List<String> command = new ArrayList<>(2 + keys.size() + 5 + args.size());
        command.add(sha);
        command.add(Integer.toString(keys.size()));
        command.addAll(keys);
        command.add(op);
        command.add(Long.toString(nowMs));
        command.add(SEEN_LOG_EVERY_MS);
        long hold = pool.hold().toMillis();
        command.add(Long.toString(hold));
        command.add(Long.toString(nowMs + hold));
        command.addAll(args);
        String[] evalsha = command.toArray(String[]::new);
        return redis.execute("EVALSHA", evalsha)
                .onFailure(e -> e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT"))
                .recoverWithUni(() -> redis.execute("SCRIPT", "LOAD", source)
                        .chain(() -> redis.execute("EVALSHA", evalsha)));
    }
}
