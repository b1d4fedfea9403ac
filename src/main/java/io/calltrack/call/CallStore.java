package io.calltrack.call;

import io.calltrack.telephony.CallSnapshot;
import io.calltrack.webhook.WebhookOutbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;

import static io.calltrack.Clocks.utc;

/**
 * Writes calls as their events arrive: one upsert keyed by PBX and Linkedid, so a replayed or duplicated
 * event changes nothing and a stale one never undoes a hang-up. The attribution is fixed when the call is
 * first written (at ring start); a caller seen before is flagged and linked to their first call.
 */
@ApplicationScoped
public class CallStore {

    /** A call is attributed when first written, so a new call may start, be attributed and (if late) end at once. */
    private static final String NEW_CALL_EVENTS = WebhookOutbox.deliveries("inserted", Map.of(
            "call.started", "true",
            "call.attributed", "r.attribution_method <> 'UNATTRIBUTED'",
            "call.completed", "r.ended_at IS NOT NULL"));
    /** Only an open call is updated, so an update that leaves it ended is its hang-up, seen once. */
    private static final String HUNG_UP_EVENTS = WebhookOutbox.deliveries("updated", Map.of(
            "call.completed", "r.ended_at IS NOT NULL"));

    private final Pool db;
    private final Attributor attributor;

    CallStore(Pool db, Attributor attributor) {
        this.db = db;
        this.attributor = attributor;
    }

    /**
     * Records a call its writer has (stored) or has not yet written: a known call goes straight to its
     * update and a new one straight to attribution and insert, saving the lookup {@link #record} makes.
     */
    public Uni<Void> write(CallSnapshot call, boolean stored) {
        return stored ? update(call) : attributor.attribute(call.did(), call.startedAt()).chain(a -> insert(call, a)).replaceWithVoid();
    }

    /** Records the call as it stands; completes with its id. Attributes it the first time it is seen. */
    public Uni<Long> record(CallSnapshot call) {
        return db.preparedQuery("SELECT id FROM calls WHERE pbx = $1 AND linkedid = $2")
                .execute(Tuple.of(call.pbx(), call.linkedid()))
                .chain(rows -> rows.size() > 0
                        ? update(call).replaceWith(rows.iterator().next().getLong("id"))
                        : attributor.attribute(call.did(), call.startedAt()).chain(a -> insert(call, a)));
    }

    private Uni<Long> insert(CallSnapshot c, Attribution a) {
        Object[] values = {c.pbx(), c.linkedid(), c.did(), c.caller(), c.callerName(), utc(c.startedAt()),
                utc(c.answeredAt()), utc(c.endedAt()), c.ringSeconds(), c.talkSeconds(), c.disposition().name(),
                c.answeredBy(), c.incomplete(), a.siteKey(), a.poolId(), a.sessionId(),
                a.method(), a.confidence(), a.source(), a.medium(), a.campaign(), a.keyword(), a.landingUrl(),
                a.referrer(), a.gclid(), a.yclid(), a.fbclid(), a.gaClientId()};
        return db.preparedQuery("""
                WITH inserted AS (
                INSERT INTO calls (pbx, linkedid, did, caller, caller_name, started_at, answered_at, ended_at, ring_seconds,
                                   talk_seconds, disposition, extension, incomplete, site_key, pool_id, session_id,
                                   attribution_method, confidence, source, medium, campaign, keyword, landing_url, referrer,
                                   gclid, yclid, fbclid, ga_client_id, first_call_id, repeat_caller)
                SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22,
                       $23, $24, $25, $26, $27, $28, f.id, f.id IS NOT NULL
                FROM (SELECT min(id) AS id FROM calls WHERE $4::text IS NOT NULL AND caller = $4 AND started_at < $6) f
                ON CONFLICT (pbx, linkedid) DO NOTHING
                RETURNING id, site_key, attribution_method, ended_at),
                hooks AS (""" + NEW_CALL_EVENTS + """
                ) SELECT id FROM inserted""").execute(Tuple.from(values))
                // lost a race with another writer of the same call: it exists now, so update it
                .chain(rows -> rows.size() > 0 ? Uni.createFrom().item(rows.iterator().next().getLong("id")) : record(c));
    }

    /** A call that has hung up is final: later (duplicate, out-of-order) events leave it as it is. */
    private Uni<Void> update(CallSnapshot c) {
        return db.preparedQuery("""
                WITH updated AS (
                UPDATE calls SET
                  did = coalesce(did, $3), caller = coalesce(caller, $4), caller_name = coalesce(caller_name, $5),
                  answered_at = coalesce(answered_at, $6), ended_at = $7, disposition = $8,
                  extension = coalesce($9, extension), ring_seconds = $10, talk_seconds = $11,
                  incomplete = incomplete OR $12, updated_at = now()
                WHERE pbx = $1 AND linkedid = $2 AND ended_at IS NULL
                  AND ($7::timestamptz IS NOT NULL OR disposition IS DISTINCT FROM $8 OR $12
                       OR answered_at IS DISTINCT FROM coalesce(answered_at, $6)
                       OR extension IS DISTINCT FROM coalesce($9, extension))
                RETURNING id, site_key, ended_at)
                """ + HUNG_UP_EVENTS)
                .execute(Tuple.from(new Object[]{c.pbx(), c.linkedid(), c.did(), c.caller(), c.callerName(),
                        utc(c.answeredAt()), utc(c.endedAt()), c.disposition().name(), c.answeredBy(), c.ringSeconds(),
                        c.talkSeconds(), c.incomplete()}))
                .replaceWithVoid();
    }
}
