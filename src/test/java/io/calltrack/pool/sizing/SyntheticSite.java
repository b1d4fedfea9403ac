package io.calltrack.pool.sizing;

import io.calltrack.pool.sizing.PoolSizing.Visit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.TreeMap;

/**
 * A site whose answer is known: visitors arrive Poisson with a daily profile, stay a lognormal while pinging,
 * some return, and some call, during the visit or after it with a given delay distribution. The same stream
 * can be served by a least-recently-released pool (what the pool script does) or a random-free-number one
 * (the naive baseline), and each call scored against the visit that placed it. Times in ms from 0.
 */
public final class SyntheticSite {

    /** @param end the last ping (what the service sees); {@code leave}: when the visitor really left */
    public record SimVisit(int visitor, long start, long end, long leave) {
    }

    /** @param visit index of the visit that made the caller call */
    public record SimCall(int visit, long at) {
    }

    public record Stream(List<SimVisit> visits, List<SimCall> calls, long duration) {
    }

    /**
     * @param callShare   calls per visit
     * @param duringShare of those, placed during the visit
     * @param delays      after-visit delay quantiles (a last point at 1.0 caps them)
     */
    public record Params(double visitsPerHour, double profileAmplitude, double hours, Duration medianVisit,
                         double visitSigma, Duration ping, double returnShare, double callShare, double duringShare,
                         NavigableMap<Double, Duration> delays) {
    }

    /** The delays the issue measured on a simulated site: median 10 min, p90 2 h, p99 24 h, none past 3 days. */
    public static NavigableMap<Double, Duration> industryDelays() {
        return new TreeMap<>(Map.of(0.0, Duration.ofSeconds(20), 0.5, Duration.ofMinutes(10), 0.9, Duration.ofHours(2),
                0.99, Duration.ofHours(24), 1.0, Duration.ofHours(72)));
    }

    public static Stream generate(Params p, long seed) {
        Random rnd = new Random(seed);
        long duration = Math.round(p.hours() * 3_600_000);
        List<SimVisit> visits = new ArrayList<>();
        List<Integer> visitors = new ArrayList<>();
        double peakRate = p.visitsPerHour() * (1 + p.profileAmplitude()) / 3_600_000.0;
        double t = 0;
        int nextVisitor = 0;
        while (true) {
            t += -Math.log(1 - rnd.nextDouble()) / peakRate; // thinning: Poisson at the profile's rate
            if (t >= duration) {
                break;
            }
            double rate = p.visitsPerHour() * (1 + p.profileAmplitude() * Math.sin(2 * Math.PI * t / 86_400_000.0)) / 3_600_000.0;
            if (rnd.nextDouble() * peakRate > rate) {
                continue;
            }
            int visitor = !visitors.isEmpty() && rnd.nextDouble() < p.returnShare()
                    ? visitors.get(rnd.nextInt(visitors.size())) : nextVisitor++;
            visitors.add(visitor);
            long start = (long) t;
            long length = Math.round(p.medianVisit().toMillis() * Math.exp(p.visitSigma() * rnd.nextGaussian()));
            long ping = p.ping().toMillis();
            visits.add(new SimVisit(visitor, start, start + length / ping * ping, start + length));
        }
        List<SimCall> calls = new ArrayList<>();
        double[] q = p.delays().keySet().stream().mapToDouble(Double::doubleValue).toArray();
        double[] ms = p.delays().values().stream().mapToDouble(Duration::toMillis).toArray();
        for (int i = 0; i < visits.size(); i++) {
            if (rnd.nextDouble() >= p.callShare()) {
                continue;
            }
            SimVisit v = visits.get(i);
            long at = rnd.nextDouble() < p.duringShare() ? v.start() + (long) (rnd.nextDouble() * (v.leave() - v.start()))
                    : v.leave() + delay(q, ms, rnd.nextDouble());
            if (at < duration) {
                calls.add(new SimCall(i, at));
            }
        }
        calls.sort(Comparator.comparingLong(SimCall::at));
        return new Stream(visits, calls, duration);
    }

    /** Log-linear between the quantile points, as the configured defaults are read. */
    static long delay(double[] q, double[] ms, double u) {
        int i = 1;
        while (i < q.length - 1 && q[i] < u) {
            i++;
        }
        double f = (u - q[i - 1]) / (q[i] - q[i - 1]);
        return Math.round(Math.exp(Math.log(ms[i - 1]) + Math.max(0, Math.min(1, f)) * (Math.log(ms[i]) - Math.log(ms[i - 1]))));
    }

    /** Which number each visit got and when it went back: least recently released, or a random free one. */
    public record Served(int[] number, long[] release) {
    }

    public static Served serve(Stream s, int size, Duration hold, boolean leastRecentlyReleased, long seed) {
        Random rnd = new Random(seed);
        int n = s.visits().size();
        int[] number = new int[n];
        long[] release = new long[n];
        List<Integer> free = new ArrayList<>();
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int i = 0; i < size; i++) {
            if (leastRecentlyReleased) {
                queue.add(i);
            } else {
                free.add(i);
            }
        }
        PriorityQueue<long[]> busy = new PriorityQueue<>(Comparator.comparingLong(a -> a[0]));
        for (int i = 0; i < n; i++) {
            SimVisit v = s.visits().get(i);
            while (!busy.isEmpty() && busy.peek()[0] <= v.start()) {
                int num = (int) busy.poll()[1];
                if (leastRecentlyReleased) {
                    queue.add(num);
                } else {
                    free.add(num);
                }
            }
            int num;
            if (free.isEmpty() && queue.isEmpty()) {
                num = (int) busy.poll()[1]; // exhausted: shares the number due back soonest
            } else if (leastRecentlyReleased) {
                num = queue.poll();
            } else {
                int pick = rnd.nextInt(free.size());
                num = free.get(pick);
                free.set(pick, free.get(free.size() - 1));
                free.remove(free.size() - 1);
            }
            number[i] = num;
            release[i] = v.end() + hold.toMillis();
            busy.add(new long[]{release[i], num});
        }
        return new Served(number, release);
    }

    /**
     * For each call, the caller's latest visit that started by ring time: the number they saw last is the one they
     * dial, and the visit a last-touch attribution should find.
     */
    public static int[] dialled(Stream s) {
        java.util.Map<Integer, List<Integer>> byVisitor = new java.util.HashMap<>();
        for (int i = 0; i < s.visits().size(); i++) {
            byVisitor.computeIfAbsent(s.visits().get(i).visitor(), k -> new ArrayList<>()).add(i);
        }
        int[] out = new int[s.calls().size()];
        for (int k = 0; k < out.length; k++) {
            SimCall c = s.calls().get(k);
            int latest = c.visit();
            for (int i : byVisitor.get(s.visits().get(c.visit()).visitor())) {
                if (i > latest && s.visits().get(i).start() <= c.at()) {
                    latest = i;
                }
            }
            out[k] = latest;
        }
        return out;
    }

    /**
     * Share of the calls of visits that started before {@code measuredUntil} that land on the right visit: the
     * dialled number's holder at ring time (or its last one within the late-call window) is the caller's latest visit.
     */
    public static double accuracy(Stream s, Served served, int size, Duration lateCallWindow, long measuredUntil) {
        List<List<Integer>> holders = holders(s, served, size);
        int[] dialled = dialled(s);
        int right = 0, all = 0;
        for (int k = 0; k < dialled.length; k++) {
            SimCall c = s.calls().get(k);
            if (s.visits().get(c.visit()).start() >= measuredUntil) {
                continue;
            }
            all++;
            Integer h = holderAt(s, served, holders.get(served.number()[dialled[k]]), c.at(), lateCallWindow);
            if (h != null && h == dialled[k]) {
                right++;
            }
        }
        return all == 0 ? 1 : (double) right / all;
    }

    static List<List<Integer>> holders(Stream s, Served served, int size) {
        List<List<Integer>> holders = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            holders.add(new ArrayList<>());
        }
        for (int i = 0; i < s.visits().size(); i++) {
            holders.get(served.number()[i]).add(i);
        }
        return holders;
    }

    /** The visit a call at {@code at} on a number is attributed to: its latest holder, if live or within the window. */
    static Integer holderAt(Stream s, Served served, List<Integer> holders, long at, Duration lateCallWindow) {
        Integer last = null;
        for (int i : holders) { // in start order
            if (s.visits().get(i).start() > at) {
                break;
            }
            last = i;
        }
        if (last == null || at - served.release()[last] > lateCallWindow.toMillis()) {
            return null;
        }
        return last;
    }

    /** The leases as the service records them. */
    public static List<Visit> leases(Stream s, Served served) {
        List<Visit> out = new ArrayList<>();
        for (int i = 0; i < s.visits().size(); i++) {
            SimVisit v = s.visits().get(i);
            out.add(new Visit("n" + served.number()[i], Instant.ofEpochMilli(v.start()), Instant.ofEpochMilli(v.end()),
                    Instant.ofEpochMilli(served.release()[i])));
        }
        return out;
    }

    /** Every call on the pool's numbers, as the PBX reports them. */
    public static List<DelayFit.CallOn> callsOn(Stream s, Served served) {
        int[] dialled = dialled(s);
        List<DelayFit.CallOn> out = new ArrayList<>();
        for (int k = 0; k < dialled.length; k++) {
            out.add(new DelayFit.CallOn("n" + served.number()[dialled[k]], Instant.ofEpochMilli(s.calls().get(k).at())));
        }
        return out;
    }
}
