package io.calltrack.pool;

import io.calltrack.Resources;
import io.calltrack.config.PoolSpec;
import io.calltrack.redis.PipelinedRedis;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;

/**
 * Runs redis/pool.lua by its SHA1 (EVALSHA), loading it again when the server answers NOSCRIPT (after
 * a restart or SCRIPT FLUSH), so the hot path sends only the hash and never the script text. Calls go
 * through the pipelined connection: one runs on every page view.
 */
@ApplicationScoped
class PoolScript {

    /** A live session's last-seen time is logged to PostgreSQL at most this often. */
    static final String SEEN_LOG_EVERY_MS = "60000";

    private final ReactiveRedisDataSource redis;
    private final PipelinedRedis pipeline;
    private final String source;
    private final String sha;

    @Inject
    PoolScript(ReactiveRedisDataSource redis, PipelinedRedis pipeline) {
        this(redis, pipeline, Resources.text("/redis/pool.lua"));
    }

    /** Another script called as pool.lua is (the benchmark's baseline). */
    PoolScript(ReactiveRedisDataSource redis, PipelinedRedis pipeline, String source) {
        this.redis = redis;
        this.pipeline = pipeline;
        this.source = source;
        this.sha = Resources.sha1Hex(source);
    }

    /** Runs one op of the script for a pool: {@code args} are the op's own arguments (ARGV 6..). */
    Uni<Response> run(PoolSpec pool, String op, long nowMs, List<String> args) {
        List<String> keys = PoolKeys.scriptKeys(pool.id(), nowMs);
        long hold = pool.hold().toMillis();
        // a request is encoded afresh each time it is sent, so the same one serves the send after a reload
        Request evalsha = Request.cmd(Command.EVALSHA).arg(sha).arg(keys.size());
        keys.forEach(evalsha::arg);
        evalsha.arg(op).arg(nowMs).arg(SEEN_LOG_EVERY_MS).arg(hold).arg(nowMs + hold);
        args.forEach(evalsha::arg);
        return pipeline.send(evalsha)
                .onFailure(e -> e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT"))
                .recoverWithUni(() -> redis.execute("SCRIPT", "LOAD", source).chain(() -> pipeline.send(evalsha)));
    }
}
