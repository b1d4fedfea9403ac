package io.calltrack.faults;

import java.util.List;

/**
 * Prints what faults cost: the packaged service under a steady load of visits and call events while its Redis
 * is killed (with the documented append-only file, and without), its PostgreSQL is stopped and the service
 * itself is killed with SIGKILL; per fault the answers by status, 5xx other than 503 + Retry-After (target 0),
 * acknowledged visits and calls lost (target 0 with the documented Redis settings), the time until pools
 * serve leased numbers again after Redis returns (target under 2 s, no visitor needed), p99 latency during
 * the fault. The baseline is the drill's own steady load before each fault.
 *   args: BEFORE OUTAGE POSTGRES_OUTAGE AFTER VISITS_PER_SECOND CALLS_PER_SECOND (seconds, rates)
 */
public final class FaultBench {

    private FaultBench() {
    }

    public static void main(String[] args) throws Exception {
        int[] a = {5, 3, 30, 5, 100, 20};
        for (int i = 0; i < Math.min(args.length, a.length); i++) {
            a[i] = Integer.parseInt(args[i]);
        }
        FaultDrills.Plan plan = new FaultDrills.Plan(a[0], a[1], a[2], a[3], a[4], a[5]);
        System.out.printf("fault drills: %d visits/s and %d call starts/s; %d s before each fault, Redis down %d s, "
                + "PostgreSQL down %d s, %d s after%n", plan.visitsPerSecond(), plan.callsPerSecond(), plan.before(),
                plan.outage(), plan.postgresOutage(), plan.after());
        try (FaultDrills drills = new FaultDrills()) {
            List<FaultDrills.Result> results = drills.runAll(plan);
            for (FaultDrills.Result r : results) {
                System.out.println("  " + r);
            }
            System.out.println("  ERROR lines in the service's log over all drills: " + drills.errorLines());
        }
    }
}
