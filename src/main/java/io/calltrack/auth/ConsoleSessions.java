package io.calltrack.auth;

import io.calltrack.Secrets;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.GetExArgs;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;

/**
 * The console's sign-in: an API key exchanged for a random session token held in an HttpOnly cookie. Redis
 * keeps the token's hash with the key's hash and the session's CSRF token, for every replica to read, and
 * forgets it after {@code calltrack.console.idle-timeout} without a request. The key itself is never stored
 * here, and revoking it ends its sessions at their next request.
 */
@ApplicationScoped
public class ConsoleSessions {

    public static final String COOKIE = "ct_session";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    private static final String PREFIX = "ct:console:";

    /** A signed-in console: whose key, and the token every change must carry in {@link #CSRF_HEADER}. */
    public record Session(String keyHash, String csrf) {
    }

    private final ReactiveValueCommands<String, String> values;
    private final Duration idle;

    ConsoleSessions(ReactiveRedisDataSource redis,
                    @ConfigProperty(name = "calltrack.console.idle-timeout", defaultValue = "30m") Duration idle) {
        this.values = redis.value(String.class);
        this.idle = idle;
    }

    public Duration idleTimeout() {
        return idle;
    }

    /** A new session for a key: its token (for the cookie) and the session. */
    public Uni<Opened> open(ApiKey key, String secret) {
        String token = Secrets.base64Url(32);
        Session session = new Session(ApiKeys.hash(secret), Secrets.base64Url(24));
        return values.set(PREFIX + ApiKeys.hash(token), session.keyHash() + " " + session.csrf(), new SetArgs().px(idle))
                .replaceWith(new Opened(token, session, key));
    }

    public record Opened(String token, Session session, ApiKey key) {
    }

    /** The session of a cookie's token, its idle time restarted; empty when it ended or never was. */
    public Uni<Optional<Session>> touch(String token) {
        if (token == null || token.isEmpty() || token.length() > 100) {
            return Uni.createFrom().item(Optional.empty());
        }
        return values.getex(PREFIX + ApiKeys.hash(token), new GetExArgs().px(idle)).map(v -> {
            if (v == null || v.indexOf(' ') < 0) {
                return Optional.empty();
            }
            return Optional.of(new Session(v.substring(0, v.indexOf(' ')), v.substring(v.indexOf(' ') + 1)));
        });
    }

    /** Compares a token sent with the session's in constant time. */
    public static boolean sameToken(String expected, String sent) {
        return sent != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), sent.getBytes(StandardCharsets.UTF_8));
    }

    public Uni<Void> close(String token) {
        return token == null || token.length() > 100 ? Uni.createFrom().voidItem()
                : values.getdel(PREFIX + ApiKeys.hash(token)).replaceWithVoid();
    }
}
