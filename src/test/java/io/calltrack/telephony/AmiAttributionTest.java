package io.calltrack.telephony;

import io.calltrack.support.AmiTranscript;
import io.calltrack.support.FakeAmi;
import io.calltrack.support.PoolFixture;
import io.calltrack.support.TestClock;
import io.calltrack.support.Visits;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Page view to attributed call: the session API gives a visitor a number, then a recorded Asterisk call to
 * that number arrives over AMI.
 */
@QuarkusTest
class AmiAttributionTest {

    static final FakeAmi AMI = FakeAmi.instance();
    /** The DID of recording 02 (an operator answers), replaced by the number under test. */
    static final String RECORDED_DID = "74951110002";

    @Inject
    PoolFixture fixture;
    @Inject
    TestClock clock;
    @Inject
    Pool db;

    @BeforeEach
    void pbxConnected() throws InterruptedException {
        AMI.awaitConnected(Duration.ofSeconds(20));
    }

    /** Plays recording 02 as a call to {@code e164}; returns its row once it has hung up. */
    private Row callTo(String e164) throws Exception {
        String system = AMI.freshSystemName();
        AMI.play(new AmiTranscript("02_answered_by_operator"),
                text -> FakeAmi.ids(system).apply(text).replace(RECORDED_DID, e164.substring(1)));
        return AmiCalls.awaitEnded(db, system, 1, Duration.ofSeconds(10)).get(0);
    }

    @Test
    void callToAVisitorsNumberIsAttributedToTheVisitWithItsKeyword() throws Exception {
        fixture.fresh("demo-visits");
        var visit = Visits.start("demo", "https://demo.example/drains?utm_source=yandex&utm_medium=cpc"
                + "&utm_campaign=drains&utm_term=blocked+drain&yclid=Y42");
        String number = visit.path("numbers[0].number");

        Row call = callTo(number);
        assertEquals(number, call.getString("did"));
        assertEquals("LIVE_LEASE", call.getString("attribution_method"));
        assertEquals("HIGH", call.getString("confidence"));
        assertEquals(visit.path("sessionId"), call.getString("session_id"));
        assertEquals("blocked drain", call.getString("keyword"));
        assertEquals("drains", call.getString("campaign"));
        assertEquals("Y42", call.getString("yclid"));
        assertEquals("ANSWERED", call.getString("disposition"));
    }

    @Test
    void callAfterTheLeaseEndedButWithinTheLateCallWindowGoesToItsOnlyHolder() throws Exception {
        fixture.fresh("demo-visits");
        var visit = Visits.start("demo", "https://demo.example/?utm_source=google&utm_medium=cpc&utm_term=late+caller");
        String number = visit.path("numbers[0].number");
        clock.advance(Duration.ofMinutes(40)); // hold is 15 min, the late-call window 24 h

        Row call = callTo(number);
        assertEquals("RECENT_LEASE", call.getString("attribution_method"));
        assertEquals("HIGH", call.getString("confidence"), "nobody else held the number since");
        assertEquals(1.0, call.getDouble("probability"));
        assertEquals(visit.path("sessionId"), call.getString("session_id"));
        assertEquals("late caller", call.getString("keyword"));
    }

    @Test
    void callToAStaticNumberGetsItsPoolsSource() throws Exception {
        Row call = callTo("+74952000001"); // demo-organic
        assertEquals("STATIC_POOL", call.getString("attribution_method"));
        assertEquals("demo-organic", call.getString("pool_id"));
        assertEquals("organic", call.getString("medium"));
        assertNull(call.getString("session_id"));
    }

    @Test
    void callToAnUnknownNumberIsLoggedUnattributed() throws Exception {
        Row call = callTo("+74959876543");
        assertEquals("UNATTRIBUTED", call.getString("attribution_method"));
        assertNull(call.getString("site_key"));
        assertEquals("+79161234567", call.getString("caller"));
        assertEquals("ANSWERED", call.getString("disposition"));
    }
}
