package io.calltrack.call;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * When after its ring a call's probability is scored again ({@code calltrack.attribution.revise-after}, ascending;
 * empty: never): after the last it is final.
 */
@ApplicationScoped
public class RevisionSchedule {

    private final List<Duration> after;

    @Inject
    RevisionSchedule(@ConfigProperty(name = "calltrack.attribution.revise-after") Optional<List<Duration>> after) {
        this(after.orElse(List.of()));
    }

    RevisionSchedule(List<Duration> after) {
        for (int i = 0; i < after.size(); i++) {
            if (after.get(i).isNegative() || after.get(i).isZero() || i > 0 && after.get(i).compareTo(after.get(i - 1)) <= 0) {
                throw new IllegalArgumentException("calltrack.attribution.revise-after: positive durations in ascending order, got " + after);
            }
        }
        this.after = List.copyOf(after);
    }

    /** The first revision of a call that rang at {@code ringAt} still to come at {@code now}; null when none is. */
    public Instant next(Instant ringAt, Instant now) {
        for (Duration d : after) {
            if (ringAt.plus(d).isAfter(now)) {
                return ringAt.plus(d);
            }
        }
        return null;
    }
}
