package io.calltrack.faults;

import io.calltrack.bench.BenchSupport;
import io.calltrack.embedded.EmbeddedServices;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Past one machine, in figures: page views a second (POST /v1/sessions, a new visitor each, closed loop) with one and
 * two service replicas against a single Redis and against a Redis Cluster (three masters, three replicas; Debian's
 * redis-server 7 for both), with the request latency (allocation included) on each, and the failover time of a
 * cluster master killed under load. Baseline: one replica on the single Redis, measured in the same run. Everything
 * (PostgreSQL, six or one Redis, the replicas and the load) shares this machine's cores: the figures show what
 * contention costs here, not what more machines would give.
 *   args: SECONDS CONCURRENCY
 */
public final class ScaleOutBench {

    private ScaleOutBench() {
    }

    record Run(String name, double perSecond, double p50, double p99, long answers, long leased, long errors) {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        System.out.printf(Locale.ROOT, "Scale-out: POST /v1/sessions (a new visitor each), %d in flight, %d s per run after %d s of warm-up; "
                + "%d cores shared by everything%n", concurrency, seconds, Math.max(2, seconds / 3), Runtime.getRuntime().availableProcessors());
        List<Run> runs = new ArrayList<>();
        try (ClusterDrill drill = new ClusterDrill(10_000, Duration.ofSeconds(2));
             RedisProcess single = RedisProcess.debian(drill.dir.resolve("single"), EmbeddedServices.freePort())) {
            single.start(true);
            Map<String, String> singleRedis = Map.of("CALLTRACK_REDIS_URL", single.url());
            for (Object[] setup : new Object[][]{{"single Redis", singleRedis}, {"Redis Cluster", drill.clusterRedis()}}) {
                @SuppressWarnings("unchecked") Map<String, String> redis = (Map<String, String>) setup[1];
                List<ServiceProcess> replicas = new ArrayList<>();
                for (int n = 1; n <= 2; n++) {
                    replicas.add(drill.start(setup[0].toString().replace(' ', '-') + "-" + n, redis));
                    load(drill, replicas, concurrency, Math.max(2, seconds / 3)); // warm-up
                    runs.add(measure(setup[0] + ", " + n + " replica" + (n > 1 ? "s" : ""), drill, replicas, concurrency, seconds));
                }
                for (ServiceProcess r : replicas) {
                    r.close();
                }
            }
            System.out.printf(Locale.ROOT, "  %-28s %12s %9s %9s %9s %8s%n", "setup", "views/s", "p50 ms", "p99 ms", "leased", "errors");
            double base = runs.get(0).perSecond();
            for (Run r : runs) {
                System.out.printf(Locale.ROOT, "  %-28s %12.0f %9.1f %9.1f %8.1f%% %8d   (%.2fx the baseline)%n", r.name(), r.perSecond(), r.p50(),
                        r.p99(), 100.0 * r.leased() / Math.max(1, r.answers()), r.errors(), r.perSecond() / base);
            }
            ServiceProcess one = drill.start("failover", drill.clusterRedis());
            ClusterDrill.Failover f = drill.killFirstMaster(one, 50, 3_000, 2_000);
            long others = f.visits().stream().filter(v -> v.site() != 0 && v.sentNanos() > f.killedNanos()
                    && v.answeredNanos() < f.leasedAgainNanos()).count();
            long othersLeased = f.visits().stream().filter(v -> v.site() != 0 && v.sentNanos() > f.killedNanos()
                    && v.answeredNanos() < f.leasedAgainNanos() && v.leased()).count();
            System.out.printf(Locale.ROOT, "  failover: master killed -> its pool leasing again in %,d ms (cluster-node-timeout %d ms); "
                            + "meanwhile %d of its page views shown the site's number, the other masters' pools leased %d of %d; non-200 answers: %d%n",
                    f.millis(), RedisCluster.NODE_TIMEOUT_MS, f.during(0).stream().filter(v -> !v.leased()).count(), othersLeased, others,
                    f.visits().stream().filter(v -> v.status() != 200).count());
        }
    }

    /** Closed loop: each of {@code concurrency} workers sends the next page view when its last is answered, round robin over replicas and sites. */
    private static List<ClusterDrill.Visit> load(ClusterDrill drill, List<ServiceProcess> replicas, int concurrency, int seconds)
            throws InterruptedException {
        ConcurrentLinkedQueue<ClusterDrill.Visit> out = new ConcurrentLinkedQueue<>();
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        ExecutorService workers = Executors.newFixedThreadPool(concurrency);
        for (int w = 0; w < concurrency; w++) {
            int worker = w;
            workers.submit(() -> {
                for (int i = 0; System.nanoTime() < end; i++) {
                    out.add(drill.visit(replicas.get((worker + i) % replicas.size()), (worker + i) % ClusterDrill.SITES));
                }
            });
        }
        workers.shutdown();
        workers.awaitTermination(seconds + 30L, TimeUnit.SECONDS);
        return new ArrayList<>(out);
    }

    private static Run measure(String name, ClusterDrill drill, List<ServiceProcess> replicas, int concurrency, int seconds)
            throws InterruptedException {
        long t0 = System.nanoTime();
        List<ClusterDrill.Visit> visits = load(drill, replicas, concurrency, seconds);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        long[] ns = visits.stream().mapToLong(v -> v.answeredNanos() - v.sentNanos()).sorted().toArray();
        return new Run(name, visits.size() / elapsed, BenchSupport.percentileMs(ns, 0.5), BenchSupport.percentileMs(ns, 0.99),
                visits.size(), visits.stream().filter(ClusterDrill.Visit::leased).count(), visits.stream().filter(v -> v.status() != 200).count());
    }
}
