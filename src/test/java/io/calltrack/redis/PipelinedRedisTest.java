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
        private final Throwable first;

        Server(Throwable first) {
            this.first = first;
        }

        @Override
        public Future<RedisConnection> connect() {
            boolean broken = connections.incrementAndGet() == 1;
            return Future.succeededFuture(new Connection(r -> broken ? Future.failedFuture(first)
                    : Future.succeededFuture(SimpleStringType.create("PONG"))));
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

    @Test
    void anErrorReplyOfRedisIsTheCommandsAnswer() {
        Server server = new Server(ErrorType.create("ERR unknown command"));
        RuntimeException e = assertThrows(RuntimeException.class, () -> ping(server));
        assertEquals("ERR unknown command", (e.getCause() == null ? e : e.getCause()).getMessage());
        assertEquals(1, server.connections.get());
    }
}
