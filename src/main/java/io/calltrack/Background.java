package io.calltrack;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.function.Function;

/** Periodic work over many pools or sites: one at a time, and one failing does not stop the others. */
public final class Background {

    private static final Logger LOG = Logger.getLogger(Background.class);

    private Background() {
    }

    /**
     * @param what  names the step in the log ("lease log of pool")
     * @param name  names an item in the log
     */
    public static <T> Uni<Void> eachInTurn(List<T> items, Function<T, Uni<?>> step, String what, Function<T, String> name) {
        return Multi.createFrom().iterable(items)
                .onItem().transformToUniAndConcatenate(item -> step.apply(item).replaceWithVoid()
                        .onFailure().recoverWithItem(e -> {
                            LOG.warnf("%s %s not done yet (%s); will retry", what, name.apply(item), e.getMessage());
                            return null;
                        }))
                .collect().last().replaceWithVoid();
    }
}
