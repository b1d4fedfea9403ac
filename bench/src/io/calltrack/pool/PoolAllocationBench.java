package io.calltrack.pool;

import io.calltrack.config.ActiveConfig;
import io.calltrack.config.MatchRule;
import io.calltrack.config.PoolSpec;
import io.calltrack.embedded.EmbeddedServices;
import io.calltrack.redis.PipelinedRedis;
import io.quarkus.redis.runtime.datasource.ReactiveRedisDataSourceImpl;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.redis.client.RedisOptions;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Allocation throughput through the Java API (NumberAllocator -> pool.lua) for pools of 100, 10,000 and
 * 100,000 numbers, against a bare EVALSHA of a trivial script on the same Redis and client, measured in
 * the same run (baseline first and last, to show drift). Every allocation is a new visitor; leases are
 * held 1 ms so each call also reclaims the previous expired lease, as a busy pool does.
 */
public final class PoolAllocationBench {

    private static ReactiveRedisDataSourceImpl redis;
    /** A visit record as the session API sends along with a first lease (about 400 bytes). */
    private static final String VISIT = "{\"id\":\"#\",\"site\":\"bench\",\"visitor\":\"#\",\"started\":1795371676000,"
            + "\"source\":\"google\",\"medium\":\"cpc\",\"campaign\":\"brand\",\"keyword\":\"red sofa\","
            + "\"url\":\"https://shop.example/sofas?utm_source=google&utm_medium=cpc&gclid=EAIaIQobChMI\","
            + "\"referrer\":\"https://www.google.com/\",\"gclid\":\"EAIaIQobChMI\",\"title\":\"Sofas\","
            + "\"ua\":\"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/124.0.0.0 Safari/537.36\","
            + "\"ip\":\"10.0.0.1\",\"bot\":false}";

    public static void main(String[] args) {
        try {
            bench(args);
            System.exit(0);
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1); // Vert.x threads would otherwise keep the JVM alive
        }
    }

    private static void bench(String[] args) {
        int ops = Integer.parseInt(arg(args, "--ops", "100000"));
        int concurrency = Integer.parseInt(arg(args, "--concurrency", "64"));
        int[] sizes = Arrays.stream(arg(args, "--sizes", "100,10000,100000").split(",")).mapToInt(Integer::parseInt).toArray();
        String url = System.getenv("BENCH_REDIS_URL");
        EmbeddedServices.Running embedded = null;
        if (url == null) {
            embedded = EmbeddedServices.startRedis(null);
            url = embedded.url();
        }
        Vertx vertx = Vertx.vertx();
        Redis client = Redis.createClient(vertx, new RedisOptions().setConnectionString(url)
                .setMaxPoolSize(concurrency).setMaxPoolWaiting(concurrency * 4));
        redis = new ReactiveRedisDataSourceImpl(vertx, client, RedisAPI.api(client));
        try {
            redis.execute("FLUSHDB").await().indefinitely();
            PipelinedRedis pipeline = new PipelinedRedis(client);
            PoolScript script = new PoolScript(pipeline);
            // limits on (high enough never to trip) so the counters' cost is measured, as in the session API, and
            // provisional holds and holding limits as the service's defaults
            NumberAllocator allocator = new NumberAllocator(script, pipeline, null, new ActiveConfig(), Clock.systemUTC(),
                    1_000_000_000, 1_000_000_000, java.time.Duration.ofMinutes(2), 0.1);
            String trivial = redis.execute("SCRIPT", "LOAD", "return 1").await().indefinitely().toString();
            System.out.printf(Locale.ROOT, "pool allocation: %d ops per run, %d in flight, Redis %s%n", ops, concurrency, url);
            List<Result> results = new ArrayList<>();
            // through the pipelined connection, as the allocations go
            Supplier<Uni<?>> bare = () -> pipeline.send(Request.cmd(Command.EVALSHA).arg(trivial).arg(0));
            go(bare, ops, concurrency); // the client's JIT warmed up before the first baseline, not during it
            results.add(run("baseline EVALSHA 'return 1'", bare, ops, concurrency));
            // the same trivial script sent an allocation's keys and arguments: what the request itself costs
            PoolSpec shape = pool(sizes[0]);
            PoolScript trivialAsPool = new PoolScript(pipeline, "return 1");
            AtomicInteger k = new AtomicInteger();
            Result sameArgs = run("EVALSHA 'return 1', allocation's arguments", () -> {
                int i = k.incrementAndGet();
                return trivialAsPool.run(shape, "alloc", System.currentTimeMillis(), List.of("s" + i, "v" + i,
                        "DEFAULT", "20", "", "", "0", "0", ""));
            }, ops, concurrency);
            warmUpAllocation(script, allocator, ops, concurrency);
            for (int size : sizes) {
                PoolSpec pool = pool(size);
                fill(script, pool);
                AtomicInteger n = new AtomicInteger();
                results.add(run("allocate, pool of " + size, () -> {
                    int i = n.incrementAndGet();
                    return allocator.allocate(pool, NumberAllocator.LeaseRequest.of("s" + i, "v" + i));
                }, ops, concurrency));
            }
            // the same, as the session API calls it: with the visit's record and the rate-limit counters
            PoolSpec largest = pool(sizes[sizes.length - 1]);
            fill(script, largest);
            AtomicInteger m = new AtomicInteger();
            Result withVisit = run("allocate + visit + limits, pool of " + sizes[sizes.length - 1], () -> {
                int i = m.incrementAndGet();
                return allocator.allocate(largest, new NumberAllocator.LeaseRequest("w" + i, "w" + i, null, "google",
                        "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255), VISIT.replace("#", "w" + i)));
            }, ops, concurrency);
            results.add(run("baseline EVALSHA 'return 1' (again)", bare, ops, concurrency));
            results.add(results.size() - 1, withVisit);
            report(results, sizes.length, sameArgs);
            oneAtATime(bare, allocator, largest, ops / 10);
        } finally {
            client.close();
            vertx.closeAndAwait();
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    record Result(String name, double opsPerSecond, double p50Ms, double p99Ms, double serverMicros) {
    }

    private static Result run(String name, Supplier<Uni<?>> op, int ops, int concurrency) {
        go(op, Math.max(1_000, ops / 10), concurrency); // warm-up: JIT, connections, script cache
        redis.execute("CONFIG", "RESETSTAT").await().indefinitely();
        long[] latencies = new long[ops];
        long start = System.nanoTime();
        long[] done = go(op, ops, concurrency, latencies);
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(done);
        String stats = redis.execute("INFO", "commandstats").await().indefinitely().toString();
        Matcher m = Pattern.compile("cmdstat_evalsha:.*?usec_per_call=([0-9.]+)").matcher(stats);
        double server = m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
        Result r = new Result(name, ops / seconds, done[ops / 2] / 1e6, done[(int) (ops * 0.99)] / 1e6, server);
        System.out.printf(Locale.ROOT, "  %-40s %9.0f ops/s   p50 %6.3f ms   p99 %6.3f ms   in Redis %5.1f us/call%n",
                r.name(), r.opsPerSecond(), r.p50Ms(), r.p99Ms(), r.serverMicros());
        return r;
    }

    private static long[] go(Supplier<Uni<?>> op, int ops, int concurrency) {
        return go(op, ops, concurrency, new long[ops]);
    }

    /** Keeps {@code concurrency} operations in flight until {@code ops} have completed. */
    private static long[] go(Supplier<Uni<?>> op, int ops, int concurrency, long[] latencies) {
        AtomicInteger next = new AtomicInteger();
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            workers.add(worker(op, ops, next, latencies));
        }
        CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).join();
        return latencies;
    }

    private static CompletableFuture<Void> worker(Supplier<Uni<?>> op, int ops, AtomicInteger next, long[] latencies) {
        int i = next.getAndIncrement();
        if (i >= ops) {
            return CompletableFuture.completedFuture(null);
        }
        long t = System.nanoTime();
        return op.get().subscribeAsCompletionStage().toCompletableFuture()
                .thenCompose(x -> {
                    latencies[i] = System.nanoTime() - t;
                    return worker(op, ops, next, latencies);
                });
    }

    private static PoolSpec pool(int size) {
        List<String> numbers = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            numbers.add("+1646" + String.format("%07d", i));
        }
        return new PoolSpec("bench-" + size, "bench", PoolSpec.Kind.DYNAMIC, new MatchRule(Map.of()), numbers,
                Duration.ofMillis(1), Duration.ofHours(24), PoolSpec.Exhaustion.DEFAULT, List.of(), Map.of());
    }

    private static void fill(PoolScript script, PoolSpec pool) {
        List<String> numbers = pool.numbers();
        for (int from = 0; from < numbers.size(); from += 2_000) {
            List<String> args = new ArrayList<>();
            int to = Math.min(numbers.size(), from + 2_000);
            args.add(to == numbers.size() ? "last" : "more");
            for (String n : numbers.subList(from, to)) {
                args.addAll(List.of(n, "A", "0"));
            }
            script.run(pool, "sync", System.currentTimeMillis(), args).await().indefinitely();
        }
    }

    private static void report(List<Result> results, int pools, Result sameArgs) {
        double baseline = (results.get(0).opsPerSecond() + results.get(results.size() - 1).opsPerSecond()) / 2;
        Result withVisit = results.get(results.size() - 2);
        List<Result> alloc = results.subList(1, 1 + pools);
        double smallest = alloc.get(0).opsPerSecond();
        double largest = alloc.get(alloc.size() - 1).opsPerSecond();
        System.out.printf(Locale.ROOT, "  allocation / baseline throughput: %s%n", String.join(", ",
                alloc.stream().map(r -> String.format(Locale.ROOT, "%.2f", r.opsPerSecond() / baseline)).toList()));
        // cost per allocation is the inverse of throughput
        System.out.printf(Locale.ROOT, "  cost per allocation, largest vs smallest pool: %+.1f%% (target: grows no more than 15%%)%n",
                (smallest / largest - 1) * 100);
        System.out.printf(Locale.ROOT, "  baseline cost / allocation cost: %.2fx slower (target: within 2x)%n",
                baseline / alloc.stream().mapToDouble(Result::opsPerSecond).min().orElse(1));
        System.out.printf(Locale.ROOT, "  with visit record and rate limits: %.2fx slower than the baseline%n",
                baseline / withVisit.opsPerSecond());
        System.out.printf(Locale.ROOT, "  allocation vs the trivial script sent the same keys and arguments: %.2fx slower%n",
                sameArgs.opsPerSecond() / alloc.stream().mapToDouble(Result::opsPerSecond).min().orElse(1));
    }

    /**
     * Runs allocations untimed until the client's allocation path is compiled, so the first measured pool is
     * not charged for the JIT's threads competing with Redis for the two cores.
     */
    private static void warmUpAllocation(PoolScript script, NumberAllocator allocator, int ops, int concurrency) {
        PoolSpec pool = pool(1_000);
        fill(script, pool);
        AtomicInteger n = new AtomicInteger();
        go(() -> {
            int i = n.incrementAndGet();
            return allocator.allocate(pool, NumberAllocator.LeaseRequest.of("x" + i, "x" + i));
        }, Math.max(1_000, ops / 2), concurrency);
    }

    /**
     * What one request waits for when Redis is not saturated (a page view on a quiet site): one call in
     * flight at a time, so latency rather than CPU per call decides.
     */
    private static void oneAtATime(Supplier<Uni<?>> bare, NumberAllocator allocator, PoolSpec pool, int ops) {
        System.out.printf(Locale.ROOT, "one call at a time (%d calls each):%n", ops);
        Result base = run("baseline EVALSHA 'return 1'", bare, ops, 1);
        AtomicInteger n = new AtomicInteger();
        Result alloc = run("allocate, pool of " + pool.numbers().size(), () -> {
            int i = n.incrementAndGet();
            return allocator.allocate(pool, NumberAllocator.LeaseRequest.of("q" + i, "q" + i));
        }, ops, 1);
        System.out.printf(Locale.ROOT, "  allocation / baseline latency: p50 %.2fx, p99 %.2fx%n",
                alloc.p50Ms() / base.p50Ms(), alloc.p99Ms() / base.p99Ms());
    }

    private static String arg(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
