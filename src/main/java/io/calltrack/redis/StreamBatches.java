package io.calltrack.redis;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.stream.ReactiveStreamCommands;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.XGroupCreateArgs;
import io.quarkus.redis.datasource.stream.XReadGroupArgs;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Reads Redis streams in batches through a consumer group and acknowledges (and deletes) entries only
 * once the handler has stored them: an outage of the store delays entries but loses none, and an entry the
 * store refuses for its content is parked instead of holding back the rest. Entries a
 * dead replica had read are claimed by another after {@link #CLAIM_AFTER}.
 */
@ApplicationScoped
public class StreamBatches {

    public static final String GROUP = "writers";
    public static final int BATCH = 2_000;
    static final Duration CLAIM_AFTER = Duration.ofSeconds(30);

    private final ReactiveStreamCommands<String, String, String> streams;
    private final String consumer = "writer-" + UUID.randomUUID();

    private final ParkedWrites parked;

    StreamBatches(ReactiveRedisDataSource redis, ParkedWrites parked) {
        this.streams = redis.stream(String.class, String.class, String.class);
        this.parked = parked;
    }

    /** Creates the stream and its writers' group if Redis lacks them (new stream, or Redis lost it). */
    public Uni<Void> ensureGroup(String key) {
        return streams.xgroupCreate(key, GROUP, "0", new XGroupCreateArgs().mkstream())
                .onFailure(e -> String.valueOf(e.getMessage()).contains("BUSYGROUP")).recoverWithNull();
    }

    /** Whether the stream holds no entry: none unread, none read and not yet stored. */
    public Uni<Boolean> isEmpty(String key) {
        return streams.xlen(key).map(n -> n == 0);
    }

    /** Hands everything in the stream to {@code store}, batch by batch; completes with the entries stored. */
    public Uni<Integer> drain(String key, Function<List<StreamMessage<String, String, String>>, Uni<Void>> store) {
        return once(key, store).chain(n -> n < BATCH ? Uni.createFrom().item(n) : drain(key, store).map(m -> n + m));
    }

    /**
     * One batch: first what this writer read before and has not stored (a failed write, say during a database
     * outage: a drain must not report the stream written while those wait), then what a dead writer left
     * behind, then new entries.
     */
    private Uni<Integer> once(String key, Function<List<StreamMessage<String, String, String>>, Uni<Void>> store) {
        return streams.xreadgroup(GROUP, consumer, key, "0", new XReadGroupArgs().count(BATCH))
                .chain(own -> !own.isEmpty() ? Uni.createFrom().item(own)
                        : streams.xautoclaim(key, GROUP, consumer, CLAIM_AFTER, "0-0", BATCH).map(claimed -> claimed.getMessages()))
                .chain(claimed -> claimed.isEmpty()
                        ? streams.xreadgroup(GROUP, consumer, key, ">", new XReadGroupArgs().count(BATCH))
                        : Uni.createFrom().item(claimed))
                .chain(messages -> messages.isEmpty() ? Uni.createFrom().item(0)
                        : storeIsolating(key, messages, store).chain(() -> acknowledge(key, messages)))
                // Redis lost the group (restart, flush): recreate it; the stream's entries are read from its start
                .onFailure(e -> String.valueOf(e.getMessage()).startsWith("NOGROUP"))
                .recoverWithUni(() -> ensureGroup(key).replaceWith(0));
    }

    /**
     * Stores the entries; when the database refuses the batch for what one entry holds, halves it until that
     * entry is alone and parks it (see {@link ParkedWrites}), so one bad entry never holds back the others.
     */
    private Uni<Void> storeIsolating(String key, List<StreamMessage<String, String, String>> messages,
                                     Function<List<StreamMessage<String, String, String>>, Uni<Void>> store) {
        return Uni.createFrom().deferred(() -> store.apply(messages))
                .onFailure(ParkedWrites::isPoison).recoverWithUni(e -> {
                    if (messages.size() == 1) {
                        return parked.park(key, messages.get(0), e);
                    }
                    int half = messages.size() / 2;
                    return storeIsolating(key, messages.subList(0, half), store)
                            .chain(() -> storeIsolating(key, messages.subList(half, messages.size()), store));
                });
    }

    private Uni<Integer> acknowledge(String key, List<StreamMessage<String, String, String>> messages) {
        String[] ids = messages.stream().map(StreamMessage::id).toArray(String[]::new);
        return streams.xack(key, GROUP, ids).chain(() -> streams.xdel(key, ids)).replaceWith(messages.size());
    }
}
