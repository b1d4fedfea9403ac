package io.calltrack.faults;

import io.calltrack.embedded.EmbeddedServices;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A Redis Cluster on loopback ports from Debian's redis-server, made by {@code redis-cli --cluster create}: three
 * masters, each with a replica. Nodes can be killed with SIGKILL; their replicas take over after the node timeout.
 */
final class RedisCluster implements AutoCloseable {

    /** How long a master may be unreachable before its replica is promoted (cluster-node-timeout). */
    static final int NODE_TIMEOUT_MS = 2_000;

    private final Path dir;
    private final Map<Integer, Process> nodes = new LinkedHashMap<>();
    /** Each node's cluster bus port, set rather than Redis's port + 10000, which may be taken or past 65535. */
    private final Map<Integer, Integer> busPorts = new LinkedHashMap<>();

    RedisCluster(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
        List<Integer> ports = EmbeddedServices.freePorts(12);
        for (int i = 0; i < 6; i++) {
            nodes.put(ports.get(i), null);
            busPorts.put(ports.get(i), ports.get(6 + i));
        }
    }

    void start() throws Exception {
        for (int port : nodes.keySet()) {
            Path d = Files.createDirectories(dir.resolve(String.valueOf(port)));
            nodes.put(port, new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1", "--dir", d.toString(),
                    "--cluster-enabled", "yes", "--cluster-port", String.valueOf(busPorts.get(port)), "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", String.valueOf(NODE_TIMEOUT_MS),
                    "--appendonly", "yes", "--appendfsync", "everysec", "--save", "")
                    .redirectErrorStream(true).redirectOutput(d.resolve("redis.log").toFile()).start());
        }
        for (int port : nodes.keySet()) {
            await(() -> "PONG".equals(cli(port, "PING").strip()), "node " + port + " up");
        }
        List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        nodes.keySet().forEach(p -> create.add("127.0.0.1:" + p));
        create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
        String out = run(create);
        if (!out.contains("All 16384 slots covered")) {
            throw new IllegalStateException("redis-cli --cluster create: " + out);
        }
        await(() -> nodes.keySet().stream().allMatch(p -> cli(p, "CLUSTER", "INFO").contains("cluster_state:ok")), "cluster state ok");
    }

    /** Some nodes, as the service's CALLTRACK_REDIS_URL lists them. */
    String urls() {
        return nodes.keySet().stream().map(p -> "redis://127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    /** The port of the live master that serves a key's hash slot (its {hash tag} decides it). */
    int masterOf(String key) {
        int any = live().get(0);
        int slot = Integer.parseInt(cli(any, "CLUSTER", "KEYSLOT", key).strip());
        for (String line : cli(any, "CLUSTER", "NODES").split("\n")) {
            String[] f = line.strip().split(" ");
            if (f.length < 9 || !f[2].contains("master") || f[2].contains("fail")) {
                continue;
            }
            for (int i = 8; i < f.length; i++) {
                String[] range = f[i].split("-");
                int lo = Integer.parseInt(range[0]), hi = range.length > 1 ? Integer.parseInt(range[1]) : lo;
                if (slot >= lo && slot <= hi) {
                    return Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1, f[1].indexOf('@')));
                }
            }
        }
        throw new IllegalStateException("no master serves slot " + slot);
    }

    /**
     * Moves one hash slot (with its keys) from one master to another, as {@code redis-cli --cluster reshard} does
     * slot by slot: importing/migrating marks, MIGRATE of its keys in batches (clients get ASK meanwhile), then the
     * slot assigned to its new master on every master (clients get MOVED from then on), the new master first and the
     * old one next, as the CLUSTER SETSLOT reference asks.
     */
    void moveSlot(int slot, int from, int to) throws InterruptedException {
        moveSlot(slot, from, to, null);
    }

    /**
     * As {@link #moveSlot(int, int, int)}, but the hand-over told to the old master first and to the new one only
     * {@code gap} later, as a hand-run resharding may do: meanwhile each of the two sends clients on to the other
     * (MOVED), and no node serves the slot.
     */
    void moveSlotOldMasterFirst(int slot, int from, int to, Duration gap) throws InterruptedException {
        moveSlot(slot, from, to, gap);
    }

    private void moveSlot(int slot, int from, int to, Duration oldMasterFirstBy) throws InterruptedException {
        String fromId = cli(from, "CLUSTER", "MYID").strip(), toId = cli(to, "CLUSTER", "MYID").strip();
        expectOk(cli(to, "CLUSTER", "SETSLOT", String.valueOf(slot), "IMPORTING", fromId));
        expectOk(cli(from, "CLUSTER", "SETSLOT", String.valueOf(slot), "MIGRATING", toId));
        while (true) {
            List<String> keys = cli(from, "CLUSTER", "GETKEYSINSLOT", String.valueOf(slot), "10").lines()
                    .filter(k -> !k.isBlank()).toList();
            if (keys.isEmpty()) {
                break;
            }
            List<String> migrate = new ArrayList<>(List.of("MIGRATE", "127.0.0.1", String.valueOf(to), "", "0", "5000", "KEYS"));
            migrate.addAll(keys);
            String reply = cli(from, migrate.toArray(String[]::new)).strip();
            if (!reply.equals("OK") && !reply.equals("NOKEY")) {
                throw new IllegalStateException("MIGRATE: " + reply);
            }
        }
        List<Integer> order = new ArrayList<>(List.of(to, from));
        if (oldMasterFirstBy != null) {
            Collections.reverse(order);
        }
        masters().stream().filter(m -> !order.contains(m)).forEach(order::add);
        for (int master : order) {
            expectOk(cli(master, "CLUSTER", "SETSLOT", String.valueOf(slot), "NODE", toId));
            if (oldMasterFirstBy != null && master == from) {
                Thread.sleep(oldMasterFirstBy.toMillis());
            }
        }
    }

    int slotOf(String key) {
        return Integer.parseInt(cli(live().get(0), "CLUSTER", "KEYSLOT", key).strip());
    }

    private List<Integer> masters() {
        List<Integer> out = new ArrayList<>();
        for (String line : cli(live().get(0), "CLUSTER", "NODES").split("\n")) {
            String[] f = line.strip().split(" ");
            if (f.length >= 8 && f[2].contains("master") && !f[2].contains("fail")) {
                out.add(Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1, f[1].indexOf('@'))));
            }
        }
        return out;
    }

    private static void expectOk(String reply) {
        if (!reply.strip().equals("OK")) {
            throw new IllegalStateException("Redis Cluster: " + reply);
        }
    }

    /** SIGKILL: no shutdown, no final write; the cluster notices after the node timeout. */
    void kill(int port) throws InterruptedException {
        Process p = nodes.get(port);
        p.destroyForcibly();
        p.waitFor();
    }

    List<Integer> live() {
        return nodes.entrySet().stream().filter(e -> e.getValue() != null && e.getValue().isAlive()).map(Map.Entry::getKey).toList();
    }

    /** One redis-cli command against a node; its reply as redis-cli prints it ("" when the node does not answer). */
    static String cli(int port, String... args) {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", String.valueOf(port)));
        cmd.addAll(List.of(args));
        try {
            return run(cmd);
        } catch (Exception e) {
            return "";
        }
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return out;
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("Redis Cluster: no " + what + " in 30 s");
    }

    @Override
    public void close() throws Exception {
        for (Process p : nodes.values()) {
            if (p != null) {
                p.destroyForcibly();
                p.waitFor();
            }
        }
        RedisProcess.delete(dir);
    }
}
