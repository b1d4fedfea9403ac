package io.calltrack.auth;

import io.calltrack.Secrets;
import io.calltrack.web.ApiException;
import io.calltrack.web.Problem;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static io.calltrack.Clocks.instant;

/**
 * API keys: created with 192 random bits, stored as their SHA-256 (a slow password hash buys nothing for a
 * secret that cannot be guessed, and would cost every request). Lookups are cached briefly so the call log
 * does not pay a query per request; a revoked key stops working on this replica at once, on others within
 * {@link #CACHE_FOR}.
 */
@ApplicationScoped
public class ApiKeys {

    static final Duration CACHE_FOR = Duration.ofSeconds(30);
    private static final String PREFIX = "ct_";

    private final Pool db;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    ApiKeys(Pool db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    private record Cached(Optional<ApiKey> key, Instant until) {
    }

    /** The WWW-Authenticate header of a 401. */
    static final String CHALLENGE = "Bearer realm=\"calltrack\"";

    /** A new key and its secret, which is shown this once and never stored. */
    public record Created(ApiKey key, String secret) {
    }

    /** The key sent as {@code Authorization: Bearer <key>}; null when the header has none. */
    static String bearer(String authorization) {
        if (authorization == null || authorization.length() <= 7 || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return authorization.substring(7).trim();
    }

    /** Why a request with this key (null: none) is refused as unauthenticated, as the 401's problem. */
    static Problem unauthorized(String secret) {
        return Problem.of(401, "unauthorized", "Unauthorized", secret == null
                ? "send an API key: Authorization: Bearer <key>" : "the API key is unknown or revoked");
    }

    /** The working key with this secret, if any. */
    public Uni<Optional<ApiKey>> find(String secret) {
        return findByHash(hash(secret));
    }

    /** The working key with this hash: a console session holds the hash, never the key. */
    Uni<Optional<ApiKey>> findByHash(String hash) {
        Cached cached = cache.get(hash);
        Instant now = clock.instant();
        if (cached != null && cached.until().isAfter(now)) {
            return Uni.createFrom().item(cached.key());
        }
        // the lookup notes the use: once per key, replica and cache period, which is precise enough to tell
        // a key in use from a forgotten one
        return db.preparedQuery("UPDATE api_keys SET last_used_at = now() WHERE key_hash = $1 AND revoked_at IS NULL RETURNING *")
                .execute(Tuple.of(hash))
                .map(rows -> {
                    Optional<ApiKey> key = rows.size() == 0 ? Optional.empty() : Optional.of(of(rows.iterator().next()));
                    if (cache.size() > 10_000) {
                        cache.clear(); // someone is trying many wrong keys: do not let them grow the heap
                    }
                    cache.put(hash, new Cached(key, now.plus(CACHE_FOR)));
                    return key;
                });
    }

    public Uni<Created> create(String name, Role role, String site) {
        return create(name, role, site, PREFIX + Secrets.base64Url(24));
    }

    /** Stores a key with a given secret (the bootstrap key from the environment); a known secret is kept as is. */
    Uni<Created> create(String name, Role role, String site, String secret) {
        return db.preparedQuery("""
                INSERT INTO api_keys (name, key_hash, prefix, role, site_key) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (key_hash) DO NOTHING RETURNING *""")
                .execute(Tuple.of(name, hash(secret), secret.substring(0, Math.min(8, secret.length())), role.name(), site))
                .map(rows -> rows.size() == 0 ? null : new Created(of(rows.iterator().next()), secret));
    }

    public Uni<List<ApiKey>> list(String site) {
        return db.preparedQuery("SELECT * FROM api_keys WHERE $1::text IS NULL OR site_key = $1 ORDER BY id")
                .execute(Tuple.of(site))
                .map(rows -> {
                    List<ApiKey> keys = new ArrayList<>();
                    rows.forEach(r -> keys.add(of(r)));
                    return keys;
                });
    }

    /** Revokes a key the caller can see; revoking twice is fine. */
    public Uni<Void> revoke(long id, String site) {
        return db.preparedQuery("""
                UPDATE api_keys SET revoked_at = coalesce(revoked_at, now())
                WHERE id = $1 AND ($2::text IS NULL OR site_key = $2) RETURNING key_hash""")
                .execute(Tuple.of(id, site))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw ApiException.notFound("no API key " + id);
                    }
                    cache.remove(rows.iterator().next().getString("key_hash"));
                    return null;
                });
    }

    Uni<Boolean> anyWorking() {
        return db.query("SELECT 1 FROM api_keys WHERE revoked_at IS NULL LIMIT 1").execute().map(rows -> rows.size() > 0);
    }

    private static ApiKey of(Row r) {
        return new ApiKey(r.getLong("id"), r.getString("name"), r.getString("prefix"), Role.valueOf(r.getString("role")),
                r.getString("site_key"), r.getOffsetDateTime("created_at").toInstant(),
                instant(r, "last_used_at"), instant(r, "revoked_at"));
    }

    static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
