package io.calltrack.call;

import io.calltrack.VisitIdTime;
import io.calltrack.config.ActiveConfig;
import io.calltrack.config.PoolSpec;
import io.calltrack.pool.LeaseLog;
import io.calltrack.pool.NumberAllocator;
import io.calltrack.pool.PoolOdds;
import io.calltrack.pool.sizing.CallOdds;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Attributes a call to the visit that held its number when it rang, from the lease history in
 * PostgreSQL (so it holds across Redis restarts). The pool's lease log is written out first, so a call a
 * few seconds after a page view still finds its lease.
 */
@ApplicationScoped
public class Attributor {

    private final ActiveConfig config;
    private final LeaseLog leaseLog;
    private final NumberAllocator allocator;
    private final Pool db;
    private final PoolOdds poolOdds;

    Attributor(ActiveConfig config, LeaseLog leaseLog, NumberAllocator allocator, Pool db, PoolOdds poolOdds) {
        this.poolOdds = poolOdds;
        this.config = config;
        this.leaseLog = leaseLog;
        this.allocator = allocator;
        this.db = db;
    }

    /** A lease of the dialled number, with the instant it ended or will end without another ping. */
    record Holder(String sessionId, Instant start, Instant lastSeen, Instant until, boolean shared) {
    }

    /** A call ringing on a number at an instant: what attribution is asked about. */
    public record Ring(String did, Instant at) {
    }

    public Uni<Attribution> attribute(String did, Instant ringAt) {
        return attributeAll(List.of(new Ring(did, ringAt))).map(all -> all.get(0));
    }

    /**
     * Attributes many calls at once, in their order: static and unknown numbers from the configuration, the
     * rest from one query for all their holders and visits (after the lease log of their pools is written).
     */
    public Uni<List<Attribution>> attributeAll(List<Ring> rings) {
        Attribution[] out = new Attribution[rings.size()];
        List<Integer> leased = new ArrayList<>();
        List<PoolSpec> leasedPools = new ArrayList<>();
        for (int i = 0; i < rings.size(); i++) {
            PoolSpec pool = rings.get(i).did() == null ? null : config.poolOfNumber(rings.get(i).did()).orElse(null);
            if (pool == null) {
                out[i] = Attribution.unattributed(null, null);
            } else if (!pool.isDynamic()) {
                out[i] = new Attribution("STATIC_POOL", "SOURCE", null, pool.siteKey(), pool.id(), null, pool.attribute().get("source"),
                        pool.attribute().get("medium"), pool.attribute().get("campaign"), null, null, null, null, null, null, null,
                        null, null, null, null);
            } else {
                leased.add(i);
                leasedPools.add(pool);
            }
        }
        if (leased.isEmpty()) {
            return Uni.createFrom().item(Arrays.asList(out));
        }
        int n = leased.size();
        PoolSpec[] poolOf = leasedPools.toArray(PoolSpec[]::new);
        List<LeaseHolders.Ask> asks = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            Ring r = rings.get(leased.get(k));
            asks.add(new LeaseHolders.Ask(r.did(), r.at(), poolOf[k].lateCallWindow()));
        }
        // every lease expired by now ended, then the log written: a lease without an end is live now
        return Uni.join().all(leasedPools.stream().distinct().map(p -> allocator.reclaimExpired(p).chain(() -> leaseLog.drain(p.id())))
                        .toList()).andFailFast()
                .chain(() -> LeaseHolders.read(db, asks))
                .chain(byCall -> {
                    Map<PoolSpec, List<String>> live = new HashMap<>();
                    for (int k = 0; k < n; k++) {
                        for (Row r : byCall.get(k)) {
                            if (r.getOffsetDateTime("until") == null) {
                                live.computeIfAbsent(poolOf[k], p -> new ArrayList<>()).add(r.getString("session_id"));
                            }
                        }
                    }
                    return lastActivity(live).chain(seen -> {
                        Chosen[] chosen = new Chosen[n];
                        for (int k = 0; k < n; k++) {
                            chosen[k] = choose(poolOf[k], byCall.get(k), rings.get(leased.get(k)).at(), seen);
                        }
                        List<String> ids = Arrays.stream(chosen).filter(c -> c != null).map(c -> c.choice().holder().sessionId()).distinct().toList();
                        return visits(ids).map(visits -> {
                            for (int k = 0; k < n; k++) {
                                Chosen c = chosen[k];
                                out[leased.get(k)] = c == null ? Attribution.unattributed(poolOf[k].siteKey(), poolOf[k].id())
                                        : visit(poolOf[k], c.choice().holder().sessionId(), visits.get(c.choice().holder().sessionId()),
                                        c.choice().method(), c.probability());
                            }
                            return Arrays.asList(out);
                        });
                    });
                });
    }

    /** The live leases' last activity as Redis has it, by session id (every pool asked at once). */
    private Uni<Map<String, Instant>> lastActivity(Map<PoolSpec, List<String>> live) {
        if (live.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return Uni.join().all(live.entrySet().stream().map(e -> allocator.lastActivity(e.getKey(), e.getValue())).toList())
                .andFailFast().map(all -> {
                    Map<String, Instant> merged = new HashMap<>();
                    all.forEach(merged::putAll);
                    return merged;
                });
    }

    /** A ring's holder chosen, and how likely the call is its visit's. */
    private record Chosen(Choice choice, double probability) {
    }

    /**
     * The chosen holders' visits by id: each from the month its id names (the visit's start), then any not found so
     * (a visit whose record is not written yet, or an id the service did not make) from every month.
     */
    private Uni<Map<String, Row>> visits(List<String> ids) {
        Map<String, Row> found = new HashMap<>();
        if (ids.isEmpty()) {
            return Uni.createFrom().item(found);
        }
        OffsetDateTime[] from = ids.stream().map(id -> VisitIdTime.earliest(id).orElse(null)).toArray(OffsetDateTime[]::new);
        OffsetDateTime[] to = ids.stream().map(id -> VisitIdTime.latest(id).orElse(null)).toArray(OffsetDateTime[]::new);
        // the range of them all again as plain values, so that the planner reads only those months
        OffsetDateTime lowest = Arrays.stream(from).filter(t -> t != null).min(Comparator.naturalOrder()).orElse(null);
        OffsetDateTime highest = Arrays.stream(to).filter(t -> t != null).max(Comparator.naturalOrder()).orElse(null);
        Uni<RowSet<Row>> inMonth = lowest == null ? Uni.createFrom().item(() -> null)
                : db.preparedQuery(VISITS_IN_MONTH).execute(Tuple.of(ids.toArray(String[]::new), from, to, lowest, highest));
        return inMonth.chain(rows -> {
            if (rows != null) {
                rows.forEach(r -> found.put(r.getString("session_id"), r));
            }
            String[] missing = ids.stream().filter(id -> !found.containsKey(id)).toArray(String[]::new);
            return missing.length == 0 ? Uni.createFrom().item(found)
                    : db.preparedQuery(VISITS).execute(Tuple.of(missing)).map(more -> {
                        more.forEach(r -> found.put(r.getString("session_id"), r));
                        return found;
                    });
        });
    }

    private static final String VISIT_COLUMNS = "s.id AS session_id, s.source, s.medium, s.campaign, s.keyword, s.landing_url, "
            + "s.referrer, s.gclid, s.yclid, s.fbclid, s.ga_client_id, s.visitor_id, s.content, s.msclkid, s.ttclid";
    /** By id within the month its id names ($2..$3 per id; an id without a time is left to {@link #VISITS}). */
    private static final String VISITS_IN_MONTH = "SELECT " + VISIT_COLUMNS + " FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[]) "
            + "AS v(id, lo, hi) CROSS JOIN LATERAL (SELECT * FROM sessions s WHERE s.id = v.id AND s.started_at >= v.lo "
            + "AND s.started_at <= v.hi AND s.started_at >= $4 AND s.started_at <= $5) s";
    private static final String VISITS = "SELECT " + VISIT_COLUMNS + " FROM sessions s WHERE s.id = ANY($1::text[])";

    /** The ring's holder and its probability, or null when no lease of the number is within the late-call window. */
    private Chosen choose(PoolSpec pool, List<Row> rows, Instant ringAt, Map<String, Instant> live) {
        List<Holder> holders = new ArrayList<>();
        List<CallOdds.Holder> candidates = new ArrayList<>();
        for (Row r : rows) {
            Instant start = r.getOffsetDateTime("started_at").toInstant();
            Instant seen = lastSeen(r, start, live);
            candidates.add(atRing(start, seen, ringAt));
            if (!r.getBoolean("in_window")) {
                continue;
            }
            holders.add(new Holder(r.getString("session_id"), start, seen,
                    r.getOffsetDateTime("until") == null ? Instant.MAX : r.getOffsetDateTime("until").toInstant(), r.getBoolean("shared")));
        }
        CallOdds odds = poolOdds.of(pool);
        return choose(holders, ringAt)
                .map(c -> new Chosen(c, odds.probability(candidates, atRing(c.holder().start(), c.holder().lastSeen(), ringAt), ringAt)))
                .orElse(null);
    }

    /**
     * A lease's last activity: for one live now, Redis' (PostgreSQL has it to within a minute, and a call 50 s after
     * a logged ping, 5 s after the latest, is a call during the visit, not 50 s after it); else the logged one.
     */
    private static Instant lastSeen(Row r, Instant start, Map<String, Instant> live) {
        Instant inRedis = r.getOffsetDateTime("until") == null ? live.get(r.getString("session_id")) : null;
        if (inRedis == null) {
            return r.getOffsetDateTime("last_seen_at").toInstant();
        }
        return inRedis.isBefore(start) ? start : inRedis; // a provisional lease that never pinged: its start
    }

    /** A holder as the ring found it: a visit active after the ring was on the page at it. */
    static CallOdds.Holder atRing(Instant start, Instant lastSeen, Instant ringAt) {
        return new CallOdds.Holder(start, lastSeen.isAfter(ringAt) ? ringAt : lastSeen);
    }

    record Choice(Holder holder, String method) {
    }

    /**
     * The holder(s) at ring time win; with several (a shared number) the most recently active one. Without one,
     * the lease that ended last within the late-call window. How sure that is, is the probability's business.
     */
    static java.util.Optional<Choice> choose(List<Holder> holders, Instant ringAt) {
        List<Holder> live = holders.stream().filter(h -> !h.until().isBefore(ringAt)).toList();
        if (!live.isEmpty()) {
            Holder latest = live.stream().max(Comparator.comparing(Holder::lastSeen)).orElseThrow();
            return java.util.Optional.of(new Choice(latest, live.size() > 1 || latest.shared() ? "SHARED_LEASE" : "LIVE_LEASE"));
        }
        return holders.stream().max(Comparator.comparing(Holder::until))
                .map(h -> new Choice(h, h.shared() ? "SHARED_LEASE" : "RECENT_LEASE"));
    }

    /** The visit's source as its session row has it; a lease whose visit record is not written yet still names the visit. */
    private static Attribution visit(PoolSpec pool, String sessionId, Row s, String method, double probability) {
        double p = Attribution.rounded(probability);
        if (s == null) {
            return new Attribution(method, Attribution.band(p), p, pool.siteKey(), pool.id(), sessionId, null, null, null, null, null,
                    null, null, null, null, null, null, null, null, null);
        }
        return new Attribution(method, Attribution.band(p), p, pool.siteKey(), pool.id(), sessionId, s.getString("source"),
                s.getString("medium"), s.getString("campaign"), s.getString("keyword"), s.getString("landing_url"),
                s.getString("referrer"), s.getString("gclid"), s.getString("yclid"), s.getString("fbclid"),
                s.getString("ga_client_id"), s.getString("visitor_id"), s.getString("content"), s.getString("msclkid"),
                s.getString("ttclid"));
    }
}
