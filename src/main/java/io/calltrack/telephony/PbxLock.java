package io.calltrack.telephony;

import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.UUID;

/**
 * Which replica listens to a PBX: a lease in Redis ({@code ct:{pbx:ID}:owner}) that its holder renews and
 * that runs out when the holder dies, so another replica takes the PBX over within the lease time. Blocking
 * calls: used from the PBX links' own threads only.
 */
@ApplicationScoped
public class PbxLock {

    private static final String HOLD = """
            local owner = redis.call('GET', KEYS[1])
            if owner == ARGV[1] then
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
              return 1
            end
            if not owner then
              redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
              return 1
            end
            return 0""";
    private static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return redis.call('DEL', KEYS[1])
            end
            return 0""";

    private final RedisDataSource redis;
    private final String replica;
    private final Duration ttl;

    @Inject
    PbxLock(RedisDataSource redis, AmiConfig ami) {
        this(redis, ami.lockTtl());
    }

    PbxLock(RedisDataSource redis, Duration ttl) {
        this.redis = redis;
        this.ttl = ttl;
        this.replica = System.getenv().getOrDefault("HOSTNAME", "replica") + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Takes or renews the lease; false when another replica holds it. */
    public boolean hold(String pbxId) {
        Response r = redis.execute("EVAL", HOLD, "1", key(pbxId), replica, String.valueOf(ttl.toMillis()));
        return r.toInteger() == 1;
    }

    public void release(String pbxId) {
        redis.execute("EVAL", RELEASE, "1", key(pbxId), replica);
    }

    /** The replica holding the PBX, or null. */
    public String holder(String pbxId) {
        Response r = redis.execute("GET", key(pbxId));
        return r == null ? null : r.toString();
    }

    public String replica() {
        return replica;
    }

    /** How often a holder renews (and a standby replica tries): a third of the lease time. */
    public Duration renewEvery() {
        return ttl.dividedBy(3);
    }

    static String key(String pbxId) {
        return "ct:{pbx:" + pbxId + "}:owner";
    }
}
