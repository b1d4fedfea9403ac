package io.calltrack.pool;

import io.calltrack.config.PoolSpec;
import io.calltrack.pool.Allocation.Outcome;
import io.calltrack.support.PoolFixture;
import io.calltrack.support.TestClock;
import io.calltrack.pool.NumberAllocator.LeaseRequest;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class NumberAllocatorTest {

    @Inject
    NumberAllocator allocator;
    @Inject
    PoolFixture fixture;
    @Inject
    TestClock clock;
    @Inject
    LeaseLog leaseLog;
    @Inject
    Pool db;
    @Inject
    ReactiveRedisDataSource redis;
    @Inject
    PoolScript script;
    @Inject
    PoolState state;
    @Inject
    io.calltrack.redis.PipelinedRedis pipeline;
    @Inject
    io.calltrack.config.ActiveConfig activeConfig;

    private Allocation allocate(PoolSpec pool, String session, String visitor) {
        return allocator.allocate(pool, LeaseRequest.of(session, visitor)).await().indefinitely();
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    @Test
    void lruReissuesTheNumberReleasedLongestAgo() {
        PoolSpec pool = fixture.fresh("lab-lru");
        String a = id(), b = id(), c = id();
        String na = allocate(pool, a, id()).number();
        String nb = allocate(pool, b, id()).number();
        String nc = allocate(pool, c, id()).number();
        assertEquals(3, Set.of(na, nb, nc).size());
        allocator.release(pool, b).await().indefinitely();
        clock.advance(Duration.ofSeconds(1));
        allocator.release(pool, c).await().indefinitely();
        clock.advance(Duration.ofSeconds(1));
        allocator.release(pool, a).await().indefinitely();

        assertEquals(nb, allocate(pool, id(), id()).number());
        assertEquals(nc, allocate(pool, id(), id()).number());
        assertEquals(na, allocate(pool, id(), id()).number());
    }

    @Test
    void returningVisitorGetsTheirPreviousNumberBackWhenNobodyHeldItSince() {
        PoolSpec pool = fixture.fresh("lab-lru");
        String visitor = id(), firstVisit = id(), otherVisit = id();
        String mine = allocate(pool, firstVisit, visitor).number();
        allocate(pool, otherVisit, id());
        allocator.release(pool, otherVisit).await().indefinitely();
        clock.advance(Duration.ofSeconds(1));
        allocator.release(pool, firstVisit).await().indefinitely();
        // LRU alone would now pick the never-used number, then the other visit's

        Allocation forged = allocator.allocate(pool, new LeaseRequest(id(), id(), mine, null, null, null)).await().indefinitely();
        assertNotEquals(mine, forged.number(), "another visitor claiming the number does not get it");
        assertEquals(Outcome.NEW, forged.outcome());

        Allocation back = allocator.allocate(pool, new LeaseRequest(id(), visitor, mine, null, null, null)).await().indefinitely();
        assertEquals(mine, back.number());
        assertEquals(Outcome.RETURNED, back.outcome());
    }

    @Test
    void returningVisitorGetsAFreshNumberWhenTheirsWasReissued() {
        PoolSpec pool = fixture.fresh("lab-one");
        String visitor = id(), session = id();
        String number = allocate(pool, session, visitor).number();
        allocator.release(pool, session).await().indefinitely();
        String other = id();
        assertEquals(number, allocate(pool, other, id()).number(), "pool of one: the other visitor gets it");
        allocator.release(pool, other).await().indefinitely();

        Allocation back = allocator.allocate(pool, new LeaseRequest(id(), visitor, number, null, null, null)).await().indefinitely();
        assertEquals(number, back.number());
        assertEquals(Outcome.NEW, back.outcome(), "someone else held it since: not a return");
    }

    @Test
    void renewalKeepsTheSameNumberAndExtendsTheLease() {
        PoolSpec pool = fixture.fresh("lab-lru");
        String session = id(), visitor = id();
        Allocation first = allocate(pool, session, visitor);
        clock.advance(Duration.ofMinutes(5));
        Allocation renewed = allocator.ping(pool, session).await().indefinitely().orElseThrow();
        assertEquals(first.number(), renewed.number());
        assertEquals(Outcome.RENEWED, renewed.outcome());
        Duration extended = Duration.between(first.expires(), renewed.expires());
        // the test clock moved 5 minutes; real time adds the few milliseconds between the calls
        assertTrue(extended.compareTo(Duration.ofMinutes(5)) >= 0 && extended.compareTo(Duration.ofMinutes(5).plusSeconds(1)) < 0,
                "extended by " + extended);
        assertEquals(first.number(), allocate(pool, session, visitor).number());
    }

    /** One allocation with the given limits (per IP and per visitor a minute; 0: no limit); its status. */
    private String allocateLimited(PoolSpec pool, String ip, String visitor, int perIp, int perVisitor) {
        return allocateHeld(pool, id(), ip, visitor, perIp, perVisitor, 0).get(0).toString();
    }

    /** One allocation with rate limits and a holding limit (leases held at once per IP and per visitor). */
    private io.vertx.mutiny.redis.client.Response allocateHeld(PoolSpec pool, String session, String ip, String visitor,
                                                               int perIp, int perVisitor, int maxHeld) {
        List<String> args = List.of(session, visitor, pool.exhaustion().name(), "20", "", ip, Integer.toString(perIp),
                Integer.toString(perVisitor), "", "", Integer.toString(maxHeld), Integer.toString(maxHeld));
        return script.run(pool, "alloc", clock.millis(), args).await().indefinitely();
    }

    @Test
    void oneAddressOrVisitorHoldsAtMostItsShareOfThePoolAtOnce() {
        PoolSpec pool = fixture.fresh("lab-lru"); // three numbers
        // a script draining the pool from one address: its second lease at once is refused, whatever the visitors
        String first = id();
        assertEquals("NEW", allocateHeld(pool, first, "203.0.113.9", id(), 0, 0, 1).get(0).toString());
        assertEquals("LIMITED", allocateHeld(pool, id(), "203.0.113.9", id(), 0, 0, 1).get(0).toString());
        // one visitor from many addresses: the same
        String visitor = id();
        assertEquals("NEW", allocateHeld(pool, id(), "198.51.100.1", visitor, 0, 0, 1).get(0).toString());
        assertEquals("LIMITED", allocateHeld(pool, id(), "198.51.100.2", visitor, 0, 0, 1).get(0).toString());
        // the held lease renews, not counted again
        assertEquals("RENEWED", allocateHeld(pool, first, "203.0.113.9", id(), 0, 0, 1).get(0).toString());
        // once it ends, that address may take one again
        assertTrue(allocator.release(pool, first).await().indefinitely());
        assertEquals("NEW", allocateHeld(pool, id(), "203.0.113.9", id(), 0, 0, 1).get(0).toString());
        // a limit of 0 holds nothing back
        assertEquals("NEW", allocateHeld(pool, id(), "198.51.100.1", visitor, 0, 0, 0).get(0).toString());
    }

    @Test
    void theHoldingLimitIsATenthOfThePoolAndAtLeastOne() {
        NumberAllocator limited = new NumberAllocator(script, pipeline, state, activeConfig, clock, 0, 0, Duration.ZERO, 0.1);
        PoolSpec small = fixture.fresh("lab-lru"); // three numbers: one per address
        assertEquals(Outcome.NEW, limited.allocate(small, fromIp("192.0.2.1")).await().indefinitely().outcome());
        assertEquals(Outcome.LIMITED, limited.allocate(small, fromIp("192.0.2.1")).await().indefinitely().outcome());
        PoolSpec big = fixture.fresh("lab-big"); // 10,000 numbers: 1,000 per address
        for (int i = 0; i < 1_000; i++) {
            assertEquals(Outcome.NEW, limited.allocate(big, fromIp("192.0.2.2")).await().indefinitely().outcome());
        }
        assertEquals(Outcome.LIMITED, limited.allocate(big, fromIp("192.0.2.2")).await().indefinitely().outcome());
    }

    private static LeaseRequest fromIp(String ip) {
        return new LeaseRequest(id(), id(), null, null, ip, null);
    }

    @Test
    void anExhaustedSharePoolSpreadsOverflowOverItsNumbers() {
        PoolSpec pool = fixture.fresh("lab-share"); // two numbers
        String n1 = allocate(pool, id(), id()).number();
        clock.advance(Duration.ofSeconds(1));
        String n2 = allocate(pool, id(), id()).number();
        Map<String, Integer> holders = new HashMap<>(Map.of(n1, 1, n2, 1));
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofSeconds(1));
            Allocation a = allocate(pool, id(), id());
            assertEquals(Outcome.SHARED, a.outcome());
            holders.merge(a.number(), 1, Integer::sum);
        }
        assertEquals(Map.of(n1, 6, n2, 6), holders, "twelve holders over two numbers, not eleven on one");
    }

    /** A new lease as the service makes it with provisional holds of this length (the test profile has them off). */
    private String allocateProvisional(PoolSpec pool, String session, Duration provisional) {
        List<String> args = List.of(session, id(), "DEFAULT", "20", "", "", "0", "0", "",
                Long.toString(clock.millis() + provisional.toMillis()));
        return script.run(pool, "alloc", clock.millis(), args).await().indefinitely().get(1).toString();
    }

    @Test
    void aNewLeaseHoldsItsNumberOnlyProvisionallyUntilThePagePings() {
        PoolSpec pool = fixture.fresh("lab-one"); // one number, held 10 minutes after the last ping
        String crawler = id();
        String number = allocateProvisional(pool, crawler, Duration.ofMinutes(2));
        clock.advance(Duration.ofMinutes(2).plusSeconds(1));
        Allocation next = allocate(pool, id(), id());
        assertEquals(number, next.number(), "a lease that never pinged gave its number back after 2 minutes, not 10");
        assertEquals(Outcome.NEW, next.outcome());
        leaseLog.drain(pool.id()).await().indefinitely();
        Row ended = rows("SELECT * FROM leases WHERE session_id = $1", crawler).get(0);
        assertEquals(ended.getOffsetDateTime("started_at"), ended.getOffsetDateTime("last_seen_at"), "no activity after its start");

        PoolSpec again = fixture.fresh("lab-one");
        String visit = id();
        allocateProvisional(again, visit, Duration.ofMinutes(2));
        clock.advance(Duration.ofMinutes(1));
        assertTrue(allocator.ping(again, visit).await().indefinitely().isPresent());
        clock.advance(Duration.ofMinutes(5));
        assertEquals(Outcome.DEFAULT, allocate(again, id(), id()).outcome(), "the page pinged: it keeps the whole hold");
    }

    @Test
    void aLimitOfZeroSwitchesOffThatLimitAlone() {
        PoolSpec pool = fixture.fresh("lab-big");
        // per visitor off, 3 per IP: one IP's fourth new lease is refused, whoever the visitors are
        for (int i = 0; i < 3; i++) {
            assertEquals("NEW", allocateLimited(pool, "10.0.0.1", id(), 3, 0));
        }
        assertEquals("LIMITED", allocateLimited(pool, "10.0.0.1", id(), 3, 0));
        // per IP off, 2 per visitor: one visitor's third is refused, from any address
        String visitor = id();
        assertEquals("NEW", allocateLimited(pool, "10.0.0.2", visitor, 0, 2));
        assertEquals("NEW", allocateLimited(pool, "10.0.0.3", visitor, 0, 2));
        assertEquals("LIMITED", allocateLimited(pool, "10.0.0.4", visitor, 0, 2));
        // both off: never refused
        for (int i = 0; i < 10; i++) {
            assertEquals("NEW", allocateLimited(pool, "10.0.0.5", visitor, 0, 0));
        }
    }

    @Test
    void expiryWithoutPingsReturnsTheNumber() {
        PoolSpec pool = fixture.fresh("lab-one");
        String holder = id();
        String number = allocate(pool, holder, id()).number();
        assertEquals(Outcome.DEFAULT, allocate(pool, id(), id()).outcome(), "pool of one is exhausted");

        clock.advance(pool.hold().plusSeconds(1));
        Allocation next = allocate(pool, id(), id());
        assertEquals(number, next.number());
        assertEquals(Outcome.NEW, next.outcome());
        assertTrue(allocator.ping(pool, holder).await().indefinitely().isEmpty(), "the expired lease is gone");
    }

    @Test
    void exhaustedDefaultPolicyHandsOutTheSiteNumberWithoutLease() {
        PoolSpec pool = fixture.fresh("lab-one");
        allocate(pool, id(), id());
        Allocation overflow = allocate(pool, id(), id());
        assertEquals(Outcome.DEFAULT, overflow.outcome());
        assertEquals("+12125550100", overflow.number());
        assertNull(overflow.expires());
    }

    @Test
    void exhaustedSharePolicyGivesTheLeastRecentlyActiveNumberAndRecordsBothHolders() {
        PoolSpec pool = fixture.fresh("lab-share");
        String s1 = id(), s2 = id(), s3 = id();
        String n1 = allocate(pool, s1, id()).number();
        clock.advance(Duration.ofSeconds(10));
        allocate(pool, s2, id());
        clock.advance(Duration.ofSeconds(10));
        allocator.ping(pool, s2).await().indefinitely();

        Allocation shared = allocate(pool, s3, id());
        assertEquals(Outcome.SHARED, shared.outcome());
        assertEquals(n1, shared.number(), "s1 was active least recently");

        leaseLog.drain(pool.id()).await().indefinitely();
        List<Row> holders = rows("SELECT session_id, shared FROM leases WHERE number = $1 AND ended_at IS NULL", n1);
        assertEquals(2, holders.size());
        assertTrue(holders.stream().anyMatch(r -> r.getString("session_id").equals(s3) && r.getBoolean("shared")));
        assertTrue(holders.stream().anyMatch(r -> r.getString("session_id").equals(s1) && r.getBoolean("shared")),
                "the first holder is recorded as sharing too");
    }

    @Test
    void concurrentAllocationNeverGivesOneNumberToTwoSessions() {
        PoolSpec pool = fixture.fresh("lab-hammer");
        List<Uni<Allocation>> requests = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            requests.add(allocator.allocate(pool, LeaseRequest.of(id(), id())));
        }
        List<Allocation> results = Uni.join().all(requests).andFailFast().await().atMost(Duration.ofMinutes(2));
        List<String> leased = results.stream().filter(Allocation::leased).map(Allocation::number).toList();
        assertEquals(500, leased.size(), "every number handed out once");
        assertEquals(500, new HashSet<>(leased).size(), "no number twice");
        assertEquals(2_500, results.stream().filter(a -> a.outcome() == Outcome.DEFAULT).count());
    }

    @Test
    void poolsOfOneAndOfTenThousandBothServeEveryNumberOnce() {
        PoolSpec big = fixture.fresh("lab-big");
        Set<String> seen = new HashSet<>();
        List<Uni<Allocation>> batch = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            batch.add(allocator.allocate(big, LeaseRequest.of(id(), id())));
            if (batch.size() == 500) {
                Uni.join().all(batch).andFailFast().await().indefinitely().forEach(a -> assertTrue(seen.add(a.number())));
                batch.clear();
            }
        }
        assertEquals(10_000, seen.size());
        assertEquals(Outcome.DEFAULT, allocate(big, id(), id()).outcome());

        PoolSpec one = fixture.fresh("lab-one");
        assertEquals("+12125550101", allocate(one, id(), id()).number());
    }

    @Test
    void leaseHistoryReachesPostgres() {
        PoolSpec pool = fixture.fresh("lab-lru");
        String session = id(), visitor = id();
        String number = allocate(pool, session, visitor).number();
        clock.advance(Duration.ofMinutes(2));
        allocator.ping(pool, session).await().indefinitely();
        clock.advance(Duration.ofMinutes(1));
        allocator.release(pool, session).await().indefinitely();
        leaseLog.drain(pool.id()).await().indefinitely();

        Row lease = rows("SELECT * FROM leases WHERE session_id = $1", session).get(0);
        assertEquals(number, lease.getString("number"));
        assertEquals(visitor, lease.getString("visitor_id"));
        assertNotNull(lease.getOffsetDateTime("ended_at"));
        Duration held = Duration.between(lease.getOffsetDateTime("started_at"), lease.getOffsetDateTime("ended_at"));
        assertTrue(held.compareTo(Duration.ofMinutes(3)) >= 0 && held.compareTo(Duration.ofMinutes(3).plusSeconds(10)) < 0,
                "held " + held);
        assertNotEquals(lease.getOffsetDateTime("started_at"), lease.getOffsetDateTime("last_seen_at"),
                "the ping 2 minutes in is the last activity");
    }

    @Test
    void anAllocationThatReclaimsAnExpiredLeaseLogsBothInOneEntry() {
        PoolSpec pool = fixture.fresh("lab-one");
        String first = id(), second = id(), visitor = id();
        String number = allocate(pool, first, id()).number();
        leaseLog.drain(pool.id()).await().indefinitely();
        clock.advance(pool.hold().plusSeconds(1));
        String visit = "{\"id\":\"" + second + "\",\"site\":\"lab\",\"visitor\":\"" + visitor + "\",\"started\":"
                + clock.millis() + ",\"source\":\"google\",\"bot\":false}";
        allocator.allocate(pool, new LeaseRequest(second, visitor, null, null, null, visit)).await().indefinitely();

        List<StreamMessage<String, String, String>> logged = redis.stream(String.class).xrange(PoolKeys.events(pool.id()),
                StreamRange.of("-", "+")).await().indefinitely();
        assertEquals(1, logged.size(), "one stream entry per script call");
        assertEquals(2, logged.get(0).payload().get("d").split("\n").length, "the old lease's end and the new one's start");
        assertEquals(1, leaseLog.drain(pool.id()).await().indefinitely());

        Row ended = rows("SELECT * FROM leases WHERE session_id = $1", first).get(0);
        assertEquals(pool.hold(), Duration.between(ended.getOffsetDateTime("started_at"), ended.getOffsetDateTime("ended_at")),
                "ended when it expired: its last activity plus the hold");
        assertEquals(ended.getOffsetDateTime("started_at"), ended.getOffsetDateTime("last_seen_at"));
        Row started = rows("SELECT * FROM leases WHERE session_id = $1", second).get(0);
        assertEquals(number, started.getString("number"));
        assertNull(started.getOffsetDateTime("ended_at"));
        Row session = rows("SELECT * FROM sessions WHERE id = $1", second).get(0);
        assertEquals(number, session.getString("number"), "the visit is stored with the number it was shown");
        assertEquals(pool.id(), session.getString("pool_id"));
    }

    private List<Row> rows(String sql, String arg) {
        List<Row> out = new ArrayList<>();
        db.preparedQuery(sql).execute(Tuple.of(arg)).await().indefinitely().forEach(out::add);
        return out;
    }
}
