package io.calltrack.redis;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;
import io.vertx.redis.client.impl.types.SimpleStringType;
import org.junit.jupiter.api.Test;

import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The pipelined connection outlives a Redis that dropped it: a command is sent again on a new connection, whether
 * the old one failed it as a closed channel or with the client's own CONNECTION_CLOSED error (what the commands
 * still queued on a connection that ended get: a Redis error reply by its type, a broken connection by its meaning).
 */
class PipelinedRedisTest {

    /** Connections made in turn: the first fails every command with {@code first}, the later ones answer PONG. */
    private static final class Server implements Redis {
        final AtomicInteger connections = new AtomicInteger();
        final AtomicInteger commands = new AtomicInteger();
        /** The answer to the n-th command (from 1), given the connection it came on (from 1). */
        private final java.util.function.BiFunction<Integer, Integer, Future<Response>> answer;

        Server(Throwable first) {
            this((connection, command) -> connection == 1 ? Future.failedFuture(first) : pong());
        }

        Server(java.util.function.BiFunction<Integer, Integer, Future<Response>> answer) {
            this.answer = answer;
        }

        @Override
        public Future<RedisConnection> connect() {
            int connection = connections.incrementAndGet();
            return Future.succeededFuture(new Connection(r -> answer.apply(connection, commands.incrementAndGet())));
        }

        @Override
        public void close() {
        }

        @Override
        public Future<Response> send(io.vertx.redis.client.Request request) {
            return Future.failedFuture("not pooled here");
        }

        @Override
        public Future<List<Response>> batch(List<io.vertx.redis.client.Request> requests) {
            return Future.failedFuture("not pooled here");
        }
    }

    private record Connection(Function<io.vertx.redis.client.Request, Future<Response>> answer) implements RedisConnection {
        @Override
        public RedisConnection exceptionHandler(Handler<Throwable> handler) {
            return this;
        }

        @Override
        public RedisConnection handler(Handler<Response> handler) {
            return this;
        }

        @Override
        public RedisConnection pause() {
            return this;
        }

        @Override
        public RedisConnection resume() {
            return this;
        }

        @Override
        public RedisConnection fetch(long amount) {
            return this;
        }

        @Override
        public RedisConnection endHandler(Handler<Void> handler) {
            return this;
        }

        @Override
        public Future<Response> send(io.vertx.redis.client.Request request) {
            return answer.apply(request);
        }

        @Override
        public Future<List<Response>> batch(List<io.vertx.redis.client.Request> requests) {
            return Future.failedFuture("no batches here");
        }

        @Override
        public Future<Void> close() {
            return Future.succeededFuture();
        }

        @Override
        public boolean pendingQueueFull() {
            return false;
        }
    }

    private static Future<Response> pong() {
        return Future.succeededFuture(SimpleStringType.create("PONG"));
    }

    private static String ping(Server server) {
        PipelinedRedis redis = new PipelinedRedis(io.vertx.mutiny.redis.client.Redis.newInstance(server));
        return redis.send(Request.cmd(Command.PING)).await().atMost(Duration.ofSeconds(5)).toString();
    }

    @Test
    void aCommandQueuedOnAConnectionThatEndedIsSentAgain() {
        Server server = new Server(ErrorType.create("CONNECTION_CLOSED"));
        assertEquals("PONG", ping(server));
        assertEquals(2, server.connections.get());
    }

    @Test
    void aCommandOnAClosedChannelIsSentAgain() {
        Server server = new Server(new ClosedChannelException());
        assertEquals("PONG", ping(server));
        assertEquals(2, server.connections.get());
    }

    /**
     * Once the service stops, the Redis client is being closed: a command that finds no connection fails at once
     * rather than open one (after the stop, asking the client for one logged an ERROR: its bean was gone).
     */
    @Test
    void noConnectionIsMadeOnceTheServiceStops() {
        Server server = new Server(ErrorType.create("CONNECTION_CLOSED"));
        PipelinedRedis redis = new PipelinedRedis(io.vertx.mutiny.redis.client.Redis.newInstance(server));
        redis.stop(null);
        assertThrows(RuntimeException.class, () -> redis.send(Request.cmd(Command.PING)).await().atMost(Duration.ofSeconds(5)));
        assertEquals(0, server.connections.get());
    }

    /**
     * A slot in the middle of a move between Redis Cluster masters: the client followed its redirects and gave up
     * (each of the two masters sent it on to the other), so the command did not run; it is sent again shortly after,
     * on the same connection, which is sound.
     */
    @Test
    void aCommandRedirectedUntilTheClientGaveUpIsSentAgain() {
        Server server = new Server((connection, command) -> command <= 2 ? Future.failedFuture(ErrorType.create("MOVED 7250 127.0.0.1:7001")) : pong());
        assertEquals("PONG", ping(server));
        assertEquals(1, server.connections.get());
        assertEquals(3, server.commands.get());
    }

    /** A slot that stays unserved: Redis is unavailable to this request (a visitor is shown the site's own number), not a fault of it. */
    @Test
    void aSlotNoMasterServesIsRedisUnavailable() {
        Server server = new Server((connection, command) -> Future.failedFuture(ErrorType.create("ASK 7250 127.0.0.1:7001")));
        RuntimeException e = assertThrows(RuntimeException.class, () -> ping(server));
        assertEquals(io.calltrack.web.ServiceUnavailableException.class, e.getClass());
        assertEquals(1, server.connections.get());
    }

    @Test
    void anErrorReplyOfRedisIsTheCommandsAnswer() {
        Server server = new Server(ErrorType.create("ERR unknown command"));
        RuntimeException e = assertThrows(RuntimeException.class, () -> ping(server));
        assertEquals("ERR unknown command", (e.getCause() == null ? e : e.getCause()).getMessage());
        assertEquals(1, server.connections.get());
    }
}
