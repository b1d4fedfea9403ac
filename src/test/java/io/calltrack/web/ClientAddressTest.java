package io.calltrack.web;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientAddressTest {

    private final ClientAddress behindProxies = new ClientAddress(Optional.of(List.of("10.0.0.0/8", "2001:db8:aa::/48")));

    private String xff(String peer, String... headers) {
        return behindProxies.resolve(peer, List.of(), List.of(headers));
    }

    @Test
    void anUntrustedPeerIsTheClientWhateverItForwards() {
        assertEquals("198.51.100.7", xff("198.51.100.7", "203.0.113.1"));
        assertEquals("198.51.100.7", behindProxies.resolve("198.51.100.7", List.of("for=203.0.113.1"), List.of()));
        ClientAddress direct = new ClientAddress(Optional.empty());
        assertEquals("127.0.0.1", direct.resolve("127.0.0.1", List.of(), List.of()));
    }

    @Test
    void theChainIsReadFromTheRightPastTrustedProxiesOnly() {
        assertEquals("203.0.113.1", xff("10.0.0.2", "203.0.113.1"));
        // the visitor wrote 1.2.3.4 at the left; the proxy appended the address it saw
        assertEquals("203.0.113.1", xff("10.0.0.2", "1.2.3.4, 203.0.113.1"));
        // two trusted hops, header split over two lines
        assertEquals("203.0.113.1", xff("10.0.0.2", "1.2.3.4, 203.0.113.1", "10.1.1.1"));
        // all trusted: the leftmost
        assertEquals("10.3.3.3", xff("10.0.0.2", "10.3.3.3, 10.1.1.1"));
        // a hop that is no address stops the walk at the last known one
        assertEquals("10.1.1.1", xff("10.0.0.2", "unknown, 10.1.1.1"));
        assertEquals("10.0.0.2", xff("10.0.0.2", "example.com"));
    }

    @Test
    void forwardedWinsAndItsFormsAreRead() {
        assertEquals("203.0.113.60", behindProxies.resolve("10.0.0.2",
                List.of("for=192.0.2.43, for=\"203.0.113.60:4711\";proto=https;by=10.0.0.1"), List.of("1.1.1.1")));
        assertEquals("2001:db8:cafe:0:0:0:0:17", behindProxies.resolve("2001:db8:aa::1",
                List.of("For=\"[2001:db8:cafe::17]:4711\""), List.of()));
        assertEquals("10.0.0.2", behindProxies.resolve("10.0.0.2", List.of("for=_hidden"), List.of()));
    }

    @Test
    void aBadRangeStopsTheStartWithItsValue() {
        var e = assertThrows(IllegalArgumentException.class, () -> new ClientAddress(Optional.of(List.of("10.0.0.0/33"))));
        assertTrue(e.getMessage().contains("10.0.0.0/33"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ClientAddress(Optional.of(List.of("proxy.local"))));
        assertTrue(e.getMessage().contains("proxy.local"), e.getMessage());
    }
}
