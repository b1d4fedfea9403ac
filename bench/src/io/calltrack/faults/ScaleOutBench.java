package io.calltrack.faults;

import io.calltrack.embedded.EmbeddedServices;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Past one machine, in figures: page views a second (POST /v1/sessions, a new visitor each, wrk's closed loop, one wrk
 * per replica) with one and two service replicas against a single Redis and against a Redis Cluster (three masters,
 * three replicas; Debian's redis-server 7 for both), with the latency of a session (allocation included) on each, and
 * the failover time of a cluster master killed under load. Baseline: one replica on the single Redis, measured in the
 * same run. Everything (PostgreSQL, six or one Redis, the replicas and wrk) shares this machine's cores: the figures
 * show what contention costs here, not what more machines would give.
 *   args: SECONDS CONNECTIONS
 */
public final class ScaleOutBench {

    private ScaleOutBench() {
    }

    record Run(String name, double perSecond, double p50, double p99, long non2xx) {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int warmup = Math.max(2, seconds / 3);
        System.out.printf(Locale.ROOT, "Scale-out: POST /v1/sessions (a new visitor each, over three sites), wrk with %d connections in all, "
                + "%d s per run after %d s of warm-up; %d cores shared by everything%n", connections, seconds, warmup,
                Runtime.getRuntime().availableProcessors());
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
                    wrk(replicas, connections, warmup); // the JIT's warm-up
                    runs.add(measure(setup[0] + ", " + n + " replica" + (n > 1 ? "s" : ""), replicas, connections, seconds));
                }
                for (ServiceProcess r : replicas) {
                    r.close();
                }
            }
            System.out.printf(Locale.ROOT, "  %-28s %12s %9s %9s %8s%n", "setup", "views/s", "p50 ms", "p99 ms", "non-2xx");
            double base = runs.get(0).perSecond();
            for (Run r : runs) {
                System.out.printf(Locale.ROOT, "  %-28s %12.0f %9.2f %9.2f %8d   (%.2fx the baseline)%n", r.name(), r.perSecond(), r.p50(),
                        r.p99(), r.non2xx(), r.perSecond() / base);
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

    /** One wrk per replica at once, the connections shared out; their outputs. */
    private static List<String> wrk(List<ServiceProcess> replicas, int connections, int seconds) throws Exception {
        List<Process> running = new ArrayList<>();
        for (ServiceProcess r : replicas) {
            ProcessBuilder pb = new ProcessBuilder("wrk", "-t1", "-c" + Math.max(1, connections / replicas.size()), "-d" + seconds + "s",
                    "--latency", "-s", "bench/wrk/sessions.lua", r.api()).redirectErrorStream(true);
            pb.environment().put("SITES", IntStream.range(0, ClusterDrill.SITES).mapToObj(i -> "site" + i).collect(Collectors.joining(",")));
            running.add(pb.start());
        }
        List<String> out = new ArrayList<>();
        for (Process p : running) {
            out.add(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            p.waitFor();
        }
        return out;
    }

    private static Run measure(String name, List<ServiceProcess> replicas, int connections, int seconds) throws Exception {
        double perSecond = 0, p50 = 0, p99 = 0;
        long non2xx = 0;
        for (String out : wrk(replicas, connections, seconds)) {
            perSecond += number(out, "Requests/sec:\\s+([\\d.]+)");
            // the replicas' latencies: the worse of them
            p50 = Math.max(p50, millis(out, "50%"));
            p99 = Math.max(p99, millis(out, "99%"));
            non2xx += (long) number(out, "non-2xx: (\\d+)");
        }
        return new Run(name, perSecond, p50, p99, non2xx);
    }

    private static double number(String out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("wrk printed no " + regex + ":\n" + out);
        }
        return Double.parseDouble(m.group(1));
    }

    /** A line of wrk's latency distribution ("99%   12.34ms"), in milliseconds. */
    private static double millis(String out, String percentile) {
        Matcher m = Pattern.compile("^\\s*" + Pattern.quote(percentile) + "\\s+([\\d.]+)(us|ms|s)\\s*$", Pattern.MULTILINE).matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("wrk printed no " + percentile + " latency:\n" + out);
        }
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> v / 1000;
            case "s" -> v * 1000;
            default -> v;
        };
    }
}
