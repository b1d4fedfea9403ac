package io.calltrack.call;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What is known of one inbound call after an event: the upsert the call log receives (keyed by PBX and
 * Linkedid, so replays and duplicates change nothing).
 *
 * @param did         the dialled tracking number, E.164
 * @param caller      the caller's number, E.164; null when withheld
 * @param answeredAt  when a person (or, without a Dial/Queue, the PBX itself) answered
 * @param answeredBy  the extension or queue member that answered, where known
 * @param endedAt     when the inbound leg hung up; null while the call is live
 * @param incomplete  part of the call was not seen (the PBX connection was down, or its hang-up never came
 *                    and a sweep closed it): its times are the best known, not exact
 * @param recovered   no event of the call was seen: it was read from the PBX's own call records (CDR) afterwards
 * @param missedBy    the extensions or queue members whose phone rang for the call and who missed it
 */
public record CallSnapshot(String pbx, String linkedid, String did, String caller, String callerName,
                           Instant startedAt, Instant answeredAt, Instant endedAt, Disposition disposition,
                           String answeredBy, boolean incomplete, boolean recovered, List<String> missedBy) {

    public CallSnapshot(String pbx, String linkedid, String did, String caller, String callerName, Instant startedAt,
                        Instant answeredAt, Instant endedAt, Disposition disposition, String answeredBy, boolean incomplete,
                        boolean recovered) {
        this(pbx, linkedid, did, caller, callerName, startedAt, answeredAt, endedAt, disposition, answeredBy, incomplete, recovered, List.of());
    }

    public CallSnapshot(String pbx, String linkedid, String did, String caller, String callerName, Instant startedAt,
                        Instant answeredAt, Instant endedAt, Disposition disposition, String answeredBy, boolean incomplete) {
        this(pbx, linkedid, did, caller, callerName, startedAt, answeredAt, endedAt, disposition, answeredBy, incomplete, false);
    }

    public CallSnapshot(String pbx, String linkedid, String did, String caller, String callerName, Instant startedAt,
                        Instant answeredAt, Instant endedAt, Disposition disposition, String answeredBy) {
        this(pbx, linkedid, did, caller, callerName, startedAt, answeredAt, endedAt, disposition, answeredBy, false);
    }

    public enum Disposition {
        /** still ringing or talking */
        IN_PROGRESS,
        ANSWERED,
        NO_ANSWER,
        BUSY,
        /** the caller hung up while it rang */
        ABANDONED,
        FAILED
    }

    /** The call's identity, PBX and Linkedid, as one string: what the call log is keyed by. */
    public String key() {
        return key(pbx, linkedid);
    }

    public static String key(String pbx, String linkedid) {
        return pbx + '\n' + linkedid;
    }

    public boolean ended() {
        return endedAt != null;
    }

    /** Seconds from the start until answered, or until the end when nobody answered. */
    public Integer ringSeconds() {
        Instant until = answeredAt != null ? answeredAt : endedAt;
        return until == null ? null : (int) Duration.between(startedAt, until).toSeconds();
    }

    public Integer talkSeconds() {
        return answeredAt == null || endedAt == null ? null : (int) Duration.between(answeredAt, endedAt).toSeconds();
    }
}
