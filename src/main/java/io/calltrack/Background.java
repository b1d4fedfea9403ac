package io.calltrack;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

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
     * @return how many items failed (each logged)
     */
    public static <T> Uni<Integer> eachInTurn(List<T> items, Function<T, Uni<?>> step, String what, Function<T, String> name) {
        return Multi.createFrom().iterable(items)
                .onItem().transformToUniAndConcatenate(item -> step.apply(item).replaceWith(0)
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
                            return 1;
                        }))
                .collect().with(Collectors.summingInt(Integer::intValue));
    }

    /**
     * Runs a pass, and again after a pause while some of its items failed, at most {@code tries} times in all:
     * the scheduler fires at most once a second, which is too slow for passes that must catch a service's
     * return at once (a pool a restarted Redis lost is rebuilt by the first pass that reaches it). The
     * pauses are Vert.x timers on the caller's context, so each try runs where the first did.
     *
     * @param goOn checked before each further try: false once the service stops (a retry after the stop would
     *             reach clients already closed, and log errors)
     * @return how many items the last pass run failed
     */
    public static Uni<Integer> againWhileFailing(Supplier<Uni<Integer>> pass, Duration pause, int tries, BooleanSupplier goOn) {
        return pass.get().chain(failures -> failures == 0 || tries <= 1 || !goOn.getAsBoolean() ? Uni.createFrom().item(failures)
                : after(pause).chain(() -> goOn.getAsBoolean() ? againWhileFailing(pass, pause, tries - 1, goOn)
                        : Uni.createFrom().item(failures)));
    }

    private static Uni<Void> after(Duration pause) {
        Context context = Vertx.currentContext();
        if (context == null) {
            return Uni.createFrom().voidItem().onItem().delayIt().by(pause);
        }
        return Uni.createFrom().emitter(e -> context.owner().setTimer(Math.max(1, pause.toMillis()),
                t -> context.runOnContext(v -> e.complete(null))));
    }
}
