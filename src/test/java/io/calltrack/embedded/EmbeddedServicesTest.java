package io.calltrack.embedded;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EmbeddedServicesTest {

    /**
     * Servers started together (a Redis Cluster's six nodes and their bus ports) need ports that differ: drawn one by
     * one, a port just closed comes back now and then (1 set of 6 in about 500 here), and a node is left unstarted.
     */
    @Test
    void portsDrawnTogetherAllDiffer() throws Exception {
        for (int round = 0; round < 200; round++) {
            List<Integer> ports = EmbeddedServices.freePorts(12);
            assertEquals(12, new HashSet<>(ports).size(), "round " + round + ": " + ports);
        }
    }
}
