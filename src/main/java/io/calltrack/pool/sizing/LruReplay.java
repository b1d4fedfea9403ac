package io.calltrack.pool.sizing;

import io.calltrack.pool.sizing.PoolSizing.Visit;

import java.util.ArrayDeque;
import java.util.List;
import java.util.PriorityQueue;

/**
 * How long each visit's number would rest before its next holder if a pool of a given size served the same
 * visits with least-recently-released allocation, as the pool script does. The visits are replayed twice in a
 * row (the second copy shifted by the window's length) so that the last visits of the window get the
 * successors a steady stream would give them instead of an endless rest.
 */
final class LruReplay {

    private LruReplay() {
    }

    /**
     * @param visits sorted by start; each holds its number from start until release (end + hold, or earlier)
     * @return per visit, its number's rest from the visit's end to the next holder's start in ms (negative when
     * the pool ran out and the number was shared), or {@link Long#MAX_VALUE} if no visit of either copy took it
     */
    static long[] rests(List<Visit> visits, int size, long windowMs) {
        int n = visits.size();
        long[] rest = new long[n];
        java.util.Arrays.fill(rest, Long.MAX_VALUE);
        int[] holderOf = new int[size]; // the visit (index into the doubled stream) that last took each number
        java.util.Arrays.fill(holderOf, -1);
        ArrayDeque<Integer> free = new ArrayDeque<>(size);
        for (int i = 0; i < size; i++) {
            free.add(i);
        }
        // numbers in use, by release time: {release ms, number}
        PriorityQueue<long[]> releases = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
        for (int k = 0; k < 2 * n; k++) {
            Visit v = visits.get(k % n);
            long shift = k < n ? 0 : windowMs;
            long start = v.start().toEpochMilli() + shift;
            while (!releases.isEmpty() && releases.peek()[0] <= start) {
                free.add((int) releases.poll()[1]);
            }
            int number;
            if (!free.isEmpty()) {
                number = free.poll();
            } else {
                // exhausted: the number due back soonest is shared
                long[] soonest = releases.poll();
                number = (int) soonest[1];
            }
            int previous = holderOf[number];
            if (previous >= 0 && previous < n) {
                rest[previous] = start - visits.get(previous).end().toEpochMilli();
            }
            holderOf[number] = k;
            long release = Math.max(v.release().toEpochMilli(), v.end().toEpochMilli()) + shift;
            releases.add(new long[]{release, number});
        }
        return rest;
    }
}
