package io.calltrack;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** Periodic work over many pools or sites: one at a time, and one failing does not stop the others. */
public final class Background {

    private static final Logger LOG = Logger.getLogger(Background.class);
    /** A step failing every second through an outage is logged again only after this long. */
    private static final long QUIET_MS = 30_000;
    private static final Map<String, Long> LAST_LOGGED = new ConcurrentHashMap<>();

    private Background() {
    }

    /**
     * @param what  names the step in the log ("lease log of pool")
     * @param name  names an item in the log
     */
    public static <T> Uni<Void> eachInTurn(List<T> items, Function<T, Uni<?>> step, String what, Function<T, String> name) {
        return Multi.createFrom().iterable(items)
                .onItem().transformToUniAndConcatenate(item -> step.apply(item).replaceWithVoid()
                        .invoke(() -> LAST_LOGGED.remove(what + " " + name.apply(item)))
                        .onFailure().recoverWithItem(e -> {
                            String failing = what + " " + name.apply(item);
                            long now = System.currentTimeMillis();
                            Long last = LAST_LOGGED.get(failing);
                            if (last == null || now - last > QUIET_MS) {
                                LAST_LOGGED.put(failing, now);
                                LOG.warnf("%s not done yet (%s); will retry every run, logged again in %d s if still failing",
                                        failing, e.getMessage(), QUIET_MS / 1000);
                            }
                            return null;
                        }))
                .collect().last().replaceWithVoid();
    }
}
