package io.calltrack.faults;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged service (run by Maven's integration-test phase, after packaging) under load while its
 * Redis, its PostgreSQL and the service itself are killed or stopped: nothing it acknowledged is lost with
 * the documented Redis settings, no request is answered with a 5xx other than 503 + Retry-After, pools
 * serve again within 2 s of Redis returning, and each outage is logged once, not once per request.
 */
class FaultIT {

    @Test
    void nothingAcknowledgedIsLostAndNothingIsAnswered500() throws Exception {
        List<FaultDrills.Result> results;
        long errors;
        try (FaultDrills drills = new FaultDrills()) {
            results = drills.runAll(new FaultDrills.Plan(3, 2, 30, 4, 50, 10));
            errors = drills.errorLines();
        }
        results.forEach(r -> System.out.println("fault drill: " + r));
        FaultDrills.Result aof = results.get(0);
        FaultDrills.Result empty = results.get(1);
        FaultDrills.Result postgres = results.get(2);
        FaultDrills.Result killed = results.get(3);
        for (FaultDrills.Result r : results) {
            assertEquals(0, r.serverErrors(), r.name() + ": 5xx without Retry-After");
            assertEquals(0, r.lostCalls(), r.name() + ": acknowledged calls lost");
        }
        assertEquals(0, aof.lostVisits(), "Redis with AOF: acknowledged visits lost");
        assertEquals(0, postgres.lostVisits(), "PostgreSQL outage: acknowledged visits lost");
        assertEquals(0, killed.lostVisits(), "service kill -9: acknowledged visits lost");
        assertTrue(aof.ackedVisits() > 0 && postgres.ackedCalls() > 0 && killed.ackedVisits() > 0, "the load ran");
        assertTrue(aof.recoveryMs() < 2_000, "leased numbers again " + aof.recoveryMs() + " ms after Redis returned");
        assertTrue(empty.recoveryMs() < 2_000, "pool rebuilt " + empty.recoveryMs() + " ms after an empty Redis returned");
        assertTrue(aof.outageLogLines() <= 2 && postgres.outageLogLines() <= 2,
                "one log line per outage: " + aof.outageLogLines() + " / " + postgres.outageLogLines());
        assertTrue(errors < 5, errors + " ERROR lines in the service's log");
    }
}
