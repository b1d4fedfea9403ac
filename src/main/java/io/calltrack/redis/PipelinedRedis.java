package io.calltrack.redis;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.calltrack.web.Outages;
import io.calltrack.web.ServiceUnavailableException;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One Redis connection shared by the per-request commands, so the commands in flight at one moment are
 * pipelined: Redis reads and answers them in batches instead of a read and a write per command, each on a
 * connection of its own (the pooled client holds a connection per command until its answer). Commands sent
 * while the pipeline is full take a pooled connection.
 * <p>
 * A broken connection is replaced, and a command that failed with it (not with an error reply of Redis)
 * is sent again on the new one. It may have run before the connection broke: callers send only commands
 * that are safe to run twice (a repeated allocation finds its own lease and renews it). So is a command that a
 * Redis Cluster redirected until the client gave up (a slot in the middle of a move): it did not run.
 * <p>
 * The old connection stays in use until a new one is made: on a Redis Cluster a connection holds one to
 * every master, and a new one cannot be made while a master is down (the client connects to all of them),
 * so the pools on the other masters keep being served through the old one while the dead master's
 * replica takes over.
 */
@ApplicationScoped
public class PipelinedRedis {

    private static final Logger LOG = Logger.getLogger(PipelinedRedis.class);
    /**
     * When Redis drops every connection (restart, CLIENT KILL), the pool may still hand out some whose close
     * it has not yet seen; a few milliseconds' wait between tries lets it see them. Five tries (5 to 80 ms apart,
     * 155 ms in all): with background commands in flight on the pool when the connections dropped, three were
     * seen to run out (a suite run in which an allocation right after a CLIENT KILL fell back to the site's number).
     */
    private static final int RETRIES = 5;
    /** The client's error for the commands pending on a connection that ended. */
    private static final String CONNECTION_CLOSED = "CONNECTION_CLOSED";
    private static final Duration FIRST_RETRY_AFTER = Duration.ofMillis(5);

    private final Redis redis;
    private final AtomicReference<CompletableFuture<RedisConnection>> connection = new AtomicReference<>();
    /** A new connection is being made to replace the current one. */
    private final java.util.concurrent.atomic.AtomicBoolean replacing = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean stopping;

    @Inject
    public PipelinedRedis(Redis redis) {
        this.redis = redis;
    }

    /**
     * The service is stopping: the Redis client is being closed, and a connection that ends is not replaced (asking
     * the client for one after the stop fails, and logged an ERROR).
     */
    void stop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    public Uni<Response> send(Request request) {
        return Uni.createFrom().deferred(() -> sendOnce(request))
                .onFailure(e -> !stopping && notServedNow(e)).retry().withBackOff(FIRST_RETRY_AFTER).atMost(RETRIES)
                // still no connection (or no master for the slot) after the retries: Redis itself is out of reach
                // (the request is answered 503, a visitor the site's own number)
                .onFailure(PipelinedRedis::notServedNow).transform(e -> new ServiceUnavailableException("Redis", e));
    }

    /**
     * The command did not reach a Redis that could run it, so sending it again is sound: the connection broke, or a
     * Redis Cluster slot is between masters ({@link Outages#slotInTransit}).
     */
    private static boolean notServedNow(Throwable failure) {
        return connectionBroke(failure)
                || failure instanceof io.vertx.redis.client.Response && Outages.slotInTransit(failure.getMessage());
    }

    private Uni<Response> sendOnce(Request request) {
        CompletableFuture<RedisConnection> used = connected();
        return Uni.createFrom().completionStage(used).chain(c -> c.pendingQueueFull() ? redis.send(request)
                : c.send(request).onFailure(PipelinedRedis::connectionBroke).invoke(e -> replace(used, e)));
    }

    /**
     * An error reply of Redis is a Response too; anything else failed the connection, not the command, and so did the
     * client's own CONNECTION_CLOSED, which it gives as an error reply to the commands still queued on a connection
     * that ended (seen when Redis dropped every connection at once: the allocation failed instead of going again).
     */
    private static boolean connectionBroke(Throwable failure) {
        return !(failure instanceof io.vertx.redis.client.Response) || CONNECTION_CLOSED.equals(failure.getMessage());
    }

    private CompletableFuture<RedisConnection> connected() {
        while (true) {
            CompletableFuture<RedisConnection> current = connection.get();
            if (current != null && !current.isCompletedExceptionally()) {
                return current;
            }
            if (stopping) {
                return CompletableFuture.failedFuture(new IllegalStateException("the service is stopping"));
            }
            CompletableFuture<RedisConnection> fresh = new CompletableFuture<>();
            if (connection.compareAndSet(current, fresh)) {
                return connect(fresh);
            }
        }
    }

    private CompletableFuture<RedisConnection> connect(CompletableFuture<RedisConnection> fresh) {
        redis.connect().subscribe().with(c -> {
            c.exceptionHandler(e -> replace(fresh, e));
            c.endHandler(() -> replace(fresh, null));
            fresh.complete(c);
        }, fresh::completeExceptionally); // the next command tries again; this one fails as a command on a dead server would
        return fresh;
    }

    /** Makes a new connection to take the broken one's place; until it is made, the old one stays (see the class comment). */
    private void replace(CompletableFuture<RedisConnection> broken, Throwable cause) {
        if (stopping || connection.get() != broken || !replacing.compareAndSet(false, true)) {
            return;
        }
        CompletableFuture<RedisConnection> fresh = connect(new CompletableFuture<>());
        fresh.whenComplete((c, e) -> {
            replacing.set(false);
            if (e == null && connection.compareAndSet(broken, fresh)) {
                LOG.debugf("pipelined Redis connection replaced: %s", cause == null ? "closed" : cause.getMessage());
                broken.thenAccept(old -> old.close().subscribe().with(ignored -> { }, ignored -> { }));
            } else if (e == null) {
                c.close().subscribe().with(ignored -> { }, ignored -> { });
            }
        });
    }
}
