package io.calltrack.call;

import io.calltrack.Clocks;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import static io.calltrack.Clocks.utc;

/**
 * Writes calls as their events arrive: one upsert keyed by PBX and Linkedid, so a replayed or duplicated
 * event changes nothing and a stale one never undoes a hang-up. The attribution is fixed when the call is
 * first written (at ring start), its probability revised later ({@link ProbabilityReviser}); a caller seen before is
 * flagged and linked to their first call.
 */
@ApplicationScoped
public class CallStore {

    /** A call is attributed when first written, so a new call may start, be attributed and (if late) end at once. */
    private static final String NEW_CALL_EVENTS = CallChanges.raise("inserted", Map.of(
            "call.started", "true",
            "call.attributed", "r.attribution_method <> 'UNATTRIBUTED'",
            "call.completed", "r.ended_at IS NOT NULL"));
    /** Only an open call is updated, so an update that leaves it ended is its hang-up, seen once. */
    private static final String HUNG_UP_EVENTS = CallChanges.raise("updated", Map.of(
            "call.completed", "r.ended_at IS NOT NULL"));

    private final Pool db;
    private final Attributor attributor;
    private final RevisionSchedule revisions;
    private final Clock clock;

    CallStore(Pool db, Attributor attributor, RevisionSchedule revisions, Clock clock) {
        this.db = db;
        this.attributor = attributor;
        this.revisions = revisions;
        this.clock = clock;
    }

    /**
     * Records many calls in a few statements, whatever their number: calls the writer has stored before
     * ({@code stored}) in one update, new ones attributed together and inserted in one statement. No two
     * snapshots may be of the same call. A new call that turns out to exist (another replica, a replay) is
     * recorded on its own.
     */
    public Uni<Void> writeAll(List<CallSnapshot> calls, Predicate<CallSnapshot> stored) {
        List<CallSnapshot> known = calls.stream().filter(stored).toList();
        List<CallSnapshot> fresh = calls.stream().filter(stored.negate()).toList();
        Uni<Void> updates = known.isEmpty() ? Uni.createFrom().voidItem() : updateAll(known);
        Uni<Void> inserts = fresh.isEmpty() ? Uni.createFrom().voidItem()
                : attributor.attributeAll(fresh.stream().map(c -> new Attributor.Ring(c.did(), c.startedAt())).toList())
                .chain(attributions -> insertAll(fresh, attributions)).replaceWithVoid();
        return Uni.join().all(updates, inserts).andFailFast().replaceWithVoid();
    }

    /** Records one call as it stands (looking up whether it exists); completes with its id. */
    public Uni<Long> record(CallSnapshot call) {
        return idOf(call).chain(id -> id != null ? updateAll(List.of(call)).replaceWith(id)
                : attributor.attribute(call.did(), call.startedAt())
                        .chain(a -> insertAll(List.of(call), List.of(a)))
                        .map(ids -> ids.get(call.key())));
    }

    /** When the last call logged for a PBX rang (null: none yet). */
    public Uni<Instant> lastStartedAt(String pbx) {
        return db.preparedQuery("SELECT max(started_at) AS last FROM calls WHERE pbx = $1").execute(Tuple.of(pbx))
                .map(rows -> Clocks.instant(rows.iterator().next(), "last"));
    }

    private Uni<Long> idOf(CallSnapshot call) {
        return db.preparedQuery("SELECT id FROM calls WHERE pbx = $1 AND linkedid = $2")
                .execute(Tuple.of(call.pbx(), call.linkedid()))
                .map(rows -> rows.size() > 0 ? rows.iterator().next().getLong("id") : null);
    }

    /** Inserts new calls; completes with the id of each, by {@link CallSnapshot#key()}. */
    private Uni<Map<String, Long>> insertAll(List<CallSnapshot> calls, List<Attribution> attributions) {
        Columns c = new Columns(calls.size());
        Instant now = clock.instant();
        for (int i = 0; i < calls.size(); i++) {
            CallSnapshot call = calls.get(i);
            Attribution a = attributions.get(i);
            c.add(call);
            c.attribution(i, a, a.probability() == null ? null : revisions.next(call.startedAt(), now));
        }
        return db.preparedQuery("""
                WITH inserted AS (
                INSERT INTO calls (pbx, linkedid, did, caller, caller_name, started_at, answered_at, ended_at, ring_seconds,
                                   talk_seconds, disposition, extension, incomplete, site_key, pool_id, session_id,
                                   attribution_method, confidence, source, medium, campaign, keyword, landing_url, referrer,
                                   gclid, yclid, fbclid, ga_client_id, visitor_id, content, msclkid, ttclid, recovered,
                                   probability, missed_by, probability_revise_at, first_call_id, repeat_caller)
                SELECT u.*, f.id, f.id IS NOT NULL
                FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[],
                            $8::timestamptz[], $9::int[], $10::int[], $11::text[], $12::text[], $13::bool[], $14::text[],
                            $15::text[], $16::text[], $17::text[], $18::text[], $19::text[], $20::text[], $21::text[],
                            $22::text[], $23::text[], $24::text[], $25::text[], $26::text[], $27::text[], $28::text[],
                            $29::text[], $30::text[], $31::text[], $32::text[], $33::bool[], $34::float8[], $35::text[],
                            $36::timestamptz[])
                     AS u(pbx, linkedid, did, caller, caller_name, started_at, answered_at, ended_at, ring_seconds,
                          talk_seconds, disposition, extension, incomplete, site_key, pool_id, session_id,
                          attribution_method, confidence, source, medium, campaign, keyword, landing_url, referrer,
                          gclid, yclid, fbclid, ga_client_id, visitor_id, content, msclkid, ttclid, recovered, probability,
                          missed_by, probability_revise_at)
                LEFT JOIN LATERAL (SELECT min(id) AS id FROM calls
                                   WHERE u.caller IS NOT NULL AND caller = u.caller AND started_at < u.started_at) f ON true
                ON CONFLICT (pbx, linkedid) DO NOTHING
                RETURNING id, pbx, linkedid, site_key, attribution_method, ended_at),
                changes AS (""" + NEW_CALL_EVENTS + """
                ) SELECT id, pbx, linkedid FROM inserted""").execute(Tuple.from(c.insertParams()))
                .chain(rows -> {
                    Map<String, Long> ids = new ConcurrentHashMap<>();
                    rows.forEach(r -> ids.put(CallSnapshot.key(r.getString("pbx"), r.getString("linkedid")), r.getLong("id")));
                    // lost a race with another writer of the same call: it exists now, so update it
                    List<Uni<Long>> raced = calls.stream().filter(call -> !ids.containsKey(call.key()))
                            .map(call -> record(call).invoke(id -> ids.put(call.key(), id))).toList();
                    return raced.isEmpty() ? Uni.createFrom().item(ids) : Uni.join().all(raced).andFailFast().replaceWith(ids);
                });
    }

    /**
     * An open call's answer as its newest state says: a PBX answer (Answer() before Queue() or Dial()) stands only
     * until the state that says the call is waiting for a person, so it is cleared; of two answer times the
     * earlier one stays (a call adopted after a reconnect only knows it was answered by then).
     */
    static final String ANSWERED_AT = "CASE WHEN u.answered_at IS NULL THEN NULL "
            + "ELSE least(calls.answered_at, u.answered_at) END";

    /** A call that has hung up is final: later (duplicate, out-of-order) events leave it as it is. */
    private static final String UPDATE = """
                WITH updated AS (
                UPDATE calls SET
                  did = coalesce(calls.did, u.did), caller = coalesce(calls.caller, u.caller),
                  caller_name = coalesce(calls.caller_name, u.caller_name),
                  answered_at = %ANSWERED_AT%, ended_at = u.ended_at,
                  disposition = u.disposition, extension = coalesce(u.extension, calls.extension),
                  ring_seconds = u.ring_seconds, talk_seconds = u.talk_seconds,
                  incomplete = calls.incomplete OR u.incomplete, missed_by = coalesce(u.missed_by, calls.missed_by),
                  updated_at = clock_timestamp()
                FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[],
                            $8::text[], $9::text[], $10::int[], $11::int[], $12::bool[], $13::text[])
                     AS u(pbx, linkedid, did, caller, caller_name, answered_at, ended_at, disposition, extension,
                          ring_seconds, talk_seconds, incomplete, missed_by)
                WHERE calls.pbx = u.pbx AND calls.linkedid = u.linkedid AND calls.ended_at IS NULL
                  AND (u.ended_at IS NOT NULL OR calls.disposition IS DISTINCT FROM u.disposition OR u.incomplete
                       OR calls.answered_at IS DISTINCT FROM %ANSWERED_AT%
                       OR calls.extension IS DISTINCT FROM coalesce(u.extension, calls.extension))
                RETURNING calls.id, calls.site_key, calls.ended_at)
                """.replace("%ANSWERED_AT%", ANSWERED_AT) + HUNG_UP_EVENTS;

    private Uni<Void> updateAll(List<CallSnapshot> calls) {
        Columns c = new Columns(calls.size());
        calls.forEach(c::add);
        return db.preparedQuery(UPDATE).execute(Tuple.from(c.updateParams())).replaceWithVoid();
    }

    /** Snapshots (and their attributions) as one array per column, the parameters of unnest(). */
    private static final class Columns {
        final String[] pbx, linkedid, did, caller, callerName, disposition, extension, missedBy;
        final OffsetDateTime[] started, answered, ended, reviseAt;
        final Integer[] ring, talk;
        final Boolean[] incomplete, recovered;
        final Double[] probability;
        final String[][] attribution;
        private int n;

        Columns(int size) {
            pbx = new String[size];
            linkedid = new String[size];
            did = new String[size];
            caller = new String[size];
            callerName = new String[size];
            disposition = new String[size];
            extension = new String[size];
            missedBy = new String[size];
            started = new OffsetDateTime[size];
            answered = new OffsetDateTime[size];
            ended = new OffsetDateTime[size];
            reviseAt = new OffsetDateTime[size];
            ring = new Integer[size];
            talk = new Integer[size];
            incomplete = new Boolean[size];
            recovered = new Boolean[size];
            probability = new Double[size];
            attribution = new String[19][size];
        }

        void add(CallSnapshot c) {
            pbx[n] = c.pbx();
            linkedid[n] = c.linkedid();
            did[n] = c.did();
            caller[n] = c.caller();
            callerName[n] = c.callerName();
            started[n] = utc(c.startedAt());
            answered[n] = utc(c.answeredAt());
            ended[n] = utc(c.endedAt());
            ring[n] = c.ringSeconds();
            talk[n] = c.talkSeconds();
            disposition[n] = c.disposition().name();
            extension[n] = c.answeredBy();
            // commas separate the names: one inside a name (a queue member's) becomes a space
            missedBy[n] = c.missedBy().isEmpty() ? null
                    : String.join(",", c.missedBy().stream().map(m -> m.replace(',', ' ')).toList());
            incomplete[n] = c.incomplete();
            recovered[n] = c.recovered();
            n++;
        }

        /** {@code reviseAt}: when the probability is next scored again (null: never). */
        void attribution(int i, Attribution a, Instant reviseAt) {
            String[] values = {a.siteKey(), a.poolId(), a.sessionId(), a.method(), a.confidence(), a.source(), a.medium(),
                    a.campaign(), a.keyword(), a.landingUrl(), a.referrer(), a.gclid(), a.yclid(), a.fbclid(), a.gaClientId(),
                    a.visitorId(), a.content(), a.msclkid(), a.ttclid()};
            for (int col = 0; col < values.length; col++) {
                attribution[col][i] = values[col];
            }
            probability[i] = a.probability();
            this.reviseAt[i] = utc(reviseAt);
        }

        Object[] insertParams() {
            Object[] p = {pbx, linkedid, did, caller, callerName, started, answered, ended, ring, talk, disposition, extension,
                    incomplete};
            Object[] all = Arrays.copyOf(p, p.length + attribution.length + 4);
            System.arraycopy(attribution, 0, all, p.length, attribution.length);
            all[all.length - 4] = recovered;
            all[all.length - 3] = probability;
            all[all.length - 2] = missedBy;
            all[all.length - 1] = reviseAt;
            return all;
        }

        Object[] updateParams() {
            return new Object[]{pbx, linkedid, did, caller, callerName, answered, ended, disposition, extension, ring, talk,
                    incomplete, missedBy};
        }
    }
}
