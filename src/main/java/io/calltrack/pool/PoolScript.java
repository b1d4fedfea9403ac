package io.calltrack.pool;

import io.calltrack.Resources;
import io.calltrack.config.PoolSpec;
import io.calltrack.redis.PipelinedRedis;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;

/**
 * Runs redis/pool.lua by its SHA1 (EVALSHA), and by its text (EVAL, which also caches it there) when the
 * server answers NOSCRIPT (after a restart, a SCRIPT FLUSH, or on a Redis Cluster master that has not run it
 * yet: EVAL goes to the pool's own master, where a SCRIPT LOAD, which names no key, might not), so the hot path
 * sends only the hash and never the script text. Calls go through the pipelined connection: one runs on every
 * page view.
 */
@ApplicationScoped
class PoolScript {

    /** A live session's last-seen time is logged to PostgreSQL at most this often. */
    static final String SEEN_LOG_EVERY_MS = "60000";

    private final PipelinedRedis pipeline;
    private final String source;
    private final String sha;

    @Inject
    PoolScript(PipelinedRedis pipeline) {
        this(pipeline, Resources.text("/redis/pool.lua"));
    }

    /** Another script called as pool.lua is (the benchmark's baseline). */
    PoolScript(PipelinedRedis pipeline, String source) {
        this.pipeline = pipeline;
        this.source = source;
        this.sha = Resources.sha1Hex(source);
    }

    /** Runs one op of the script for a pool: {@code args} are the op's own arguments (ARGV 6..). */
    Uni<Response> run(PoolSpec pool, String op, long nowMs, List<String> args) {
        List<String> keys = PoolKeys.scriptKeys(pool.id(), nowMs);
        long hold = pool.hold().toMillis();
        return pipeline.send(request(Command.EVALSHA, sha, keys, op, nowMs, hold, args))
                .onFailure(e -> e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT"))
                .recoverWithUni(() -> pipeline.send(request(Command.EVAL, source, keys, op, nowMs, hold, args)));
    }

    private static Request request(Command command, String script, List<String> keys, String op, long nowMs, long hold, List<String> args) {
        Request r = Request.cmd(command).arg(script).arg(keys.size());
        keys.forEach(r::arg);
        r.arg(op).arg(nowMs).arg(SEEN_LOG_EVERY_MS).arg(hold).arg(nowMs + hold);
        args.forEach(r::arg);
        return r;
    }
}
