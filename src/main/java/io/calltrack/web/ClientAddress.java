package io.calltrack.web;

import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The visitor's address as rate and holding limits and the visit log see it. {@code Forwarded} (RFC 7239) or
 * else {@code X-Forwarded-For} is believed only from the configured trusted proxies
 * ({@code calltrack.http.trusted-proxies}, addresses or CIDR ranges), and read from the right: each trusted
 * hop names the one before it, and the first address that is not a trusted proxy is the client. A visitor can
 * write anything at the left of the header; only what a trusted proxy appended counts.
 */
@ApplicationScoped
public class ClientAddress {

    private static final Pattern FORWARDED_FOR = Pattern.compile("(?i)(?:^|[;,])\\s*for\\s*=\\s*(\"[^\"]*\"|[^;,\\s]*)");
    /** An IP literal (v4, or v6 possibly with an embedded v4): parsed without a DNS lookup. */
    private static final Pattern LITERAL = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:.]*");

    private final List<Range> trusted;

    ClientAddress(@ConfigProperty(name = "calltrack.http.trusted-proxies") Optional<List<String>> trustedProxies) {
        this.trusted = trustedProxies.orElse(List.of()).stream().map(ClientAddress::range).toList();
    }

    /** The client's address for this request. */
    public String of(HttpServerRequest request) {
        String peer = request.remoteAddress().hostAddress();
        if (trusted.isEmpty()) {
            return peer;
        }
        return resolve(peer, request.headers().getAll("Forwarded"), request.headers().getAll("X-Forwarded-For"));
    }

    /** The first address from the right, starting at the peer, that is not a trusted proxy. */
    String resolve(String peer, List<String> forwarded, List<String> xForwardedFor) {
        List<String> chain = forwarded.isEmpty() ? split(xForwardedFor) : forwardedFor(forwarded);
        InetAddress current = parse(peer);
        for (int i = chain.size() - 1; i >= 0 && current != null && isTrusted(current); i--) {
            InetAddress hop = parse(chain.get(i));
            if (hop == null) {
                break; // "unknown", an obfuscated name or garbage: the trusted hop before it is all we know
            }
            current = hop;
        }
        return current == null ? peer : current.getHostAddress();
    }

    private boolean isTrusted(InetAddress address) {
        return trusted.stream().anyMatch(r -> r.contains(address));
    }

    private static List<String> split(List<String> headers) {
        List<String> out = new ArrayList<>();
        headers.forEach(h -> {
            for (String part : h.split(",")) {
                out.add(part.trim());
            }
        });
        return out;
    }

    private static List<String> forwardedFor(List<String> headers) {
        List<String> out = new ArrayList<>();
        headers.forEach(h -> {
            Matcher m = FORWARDED_FOR.matcher(h);
            while (m.find()) {
                out.add(m.group(1).replace("\"", ""));
            }
        });
        return out;
    }

    /** An address from a header or the socket (brackets and a port allowed); null when it is no IP literal. */
    static InetAddress parse(String text) {
        if (text == null) {
            return null;
        }
        String host = text.trim();
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            host = end < 0 ? "" : host.substring(1, end);
        } else if (host.indexOf(':') > 0 && host.indexOf(':') == host.lastIndexOf(':')) {
            host = host.substring(0, host.indexOf(':')); // v4 with a port
        }
        if (!LITERAL.matcher(host).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static Range range(String cidr) {
        String text = cidr.trim();
        int slash = text.indexOf('/');
        InetAddress base = parse(slash < 0 ? text : text.substring(0, slash));
        if (base == null) {
            throw new IllegalArgumentException("calltrack.http.trusted-proxies: '" + cidr + "' is not an IP address or CIDR range");
        }
        int max = base.getAddress().length * 8;
        int bits;
        try {
            bits = slash < 0 ? max : Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            bits = -1;
        }
        if (bits < 0 || bits > max) {
            throw new IllegalArgumentException("calltrack.http.trusted-proxies: '" + cidr + "' has a prefix length outside 0-" + max);
        }
        return new Range(base.getAddress(), bits);
    }

    private record Range(byte[] base, int bits) {

        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != base.length) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >>> (i % 8);
                if ((a[i / 8] & mask) != (base[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
