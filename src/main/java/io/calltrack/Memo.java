package io.calltrack;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Results of a costly pure function, kept for the inputs that recur (User-Agents, configured numbers) on the
 * request path. Bounded: past {@code limit} entries it starts over, so a client sending a new input every
 * time costs recomputations, not an ever larger heap.
 */
public final class Memo<K, V> {

    private final Map<K, V> known = new ConcurrentHashMap<>();
    private final Function<K, V> compute;
    private final int limit;

    public Memo(int limit, Function<K, V> compute) {
        this.limit = limit;
        this.compute = compute;
    }

    public V get(K key) {
        V value = known.get(key);
        if (value == null) {
            value = compute.apply(key);
            if (known.size() >= limit) {
                known.clear();
            }
            known.put(key, value);
        }
        return value;
    }
}
