package io.calltrack.telephony;

import io.calltrack.config.PbxSpec;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;

/**
 * A PBX link's stretch without events, whose calls are read from the PBX's CDR store (when it has one) once the link
 * is up again: from the moment the link was lost, or at start-up from the last call logged for the PBX. A read that
 * fails keeps the stretch for the next try.
 */
final class CdrGap {

    private static final Logger LOG = Logger.getLogger(CdrGap.class);

    private final PbxSpec pbx;
    private final CdrGapFill gapFill;
    private final Clock clock;
    /** Start of the stretch still to be read (null: none). */
    private Instant from;
    private boolean everConnected;

    CdrGap(PbxSpec pbx, CdrGapFill gapFill, Clock clock) {
        this.pbx = pbx;
        this.gapFill = gapFill;
        this.clock = clock;
    }

    /** The link is up again after being lost at {@code lost}: the stretch since then (if none is pending) is to be read. */
    void connected(Instant lost) {
        if (pbx.cdr() != null && from == null) {
            from = everConnected ? lost : startUpGap();
        }
        everConnected = true;
    }

    /** At start-up the stretch without events began with the last call logged for this PBX. */
    private Instant startUpGap() {
        try {
            return gapFill.lastLogged(pbx, clock.instant());
        } catch (RuntimeException e) {
            LOG.warnf("PBX %s: the last logged call could not be read (%s); calls before this start are not read from "
                    + "the CDR store", pbx.id(), e.getMessage());
            return null;
        }
    }

    /** Reads the stretch's calls, if there is one; a failure is logged and leaves it for the next call. */
    void fill() {
        Instant start = from;
        if (start == null) {
            return;
        }
        try {
            gapFill.fill(pbx, start, clock.instant());
            from = null;
        } catch (Exception e) {
            LOG.warnf("PBX %s: calls since %s not read from its CDR store yet (%s); trying again at the next ping",
                    pbx.id(), start, e.getMessage());
        }
    }
}
