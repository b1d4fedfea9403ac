package io.calltrack.web;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTP hygiene every route gets before any resource sees the request: limits answered as problem+json
 * (the server's own limits, set higher in application.properties, would answer with an empty body), a
 * valid URI whose query decodes and holds nothing PostgreSQL text refuses (Quarkus' own URI check, which
 * answers an empty 400, is off: see CalltrackMain), a Host header, GET-only metrics, and the security
 * headers and request id ({@link RequestIds}) on every response.
 */
@ApplicationScoped
public class HttpGuard {

    /** A request line longer than this is refused (414); the server's own limit is above it. */
    static final int MAX_URI = 8192;
    /** Request headers, names and values together, longer than this are refused (431). */
    static final int MAX_HEADERS = 16 * 1024;
    /** The visitors' session and ping bodies are a few hundred bytes; anything near this is not a browser's. */
    public static final int MAX_SESSION_BODY = 8 * 1024;

    /** The console runs only its own files: no inline script or style, nothing from elsewhere. */
    static final String CONSOLE_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private final long maxBody;
    private final boolean https;

    HttpGuard(LimitsConfig limits, @ConfigProperty(name = "calltrack.public-url") Optional<String> publicUrl) {
        this.maxBody = limits.maxBodyBytes();
        this.https = publicUrl.map(u -> u.startsWith("https://")).orElse(false);
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::check);
    }

    private void check(RoutingContext rc) {
        RequestIds.tag(rc);
        HttpServerRequest request = rc.request();
        rc.response().headers()
                .set("X-Content-Type-Options", "nosniff")
                .set("Referrer-Policy", "no-referrer")
                .set("X-Frame-Options", "DENY")
                .set("Content-Security-Policy", request.path() != null && request.path().startsWith("/console/") ? CONSOLE_CSP : "frame-ancestors 'none'");
        if (https) {
            rc.response().putHeader("Strict-Transport-Security", "max-age=31536000");
        }
        Problem refused = refusal(request);
        if (refused != null) {
            if (refused.status() == 405) {
                rc.response().putHeader("Allow", "GET");
            }
            // the request's body may still be arriving: answer and close rather than read it
            rc.response().putHeader("Connection", "close").setStatusCode(refused.status())
                    .putHeader("Content-Type", Problem.MEDIA_TYPE).end(Json.encode(refused));
            return;
        }
        rc.next();
    }

    private Problem refusal(HttpServerRequest request) {
        // the server puts an empty Host on a request that came without one
        String host = request.getHeader("Host");
        boolean noHost = request.version() == HttpVersion.HTTP_1_1 ? host == null || host.isBlank()
                : request.version() == HttpVersion.HTTP_2 && request.authority() == null;
        if (noHost) {
            return Problem.of(400, "missing-host", "Missing Host header", "HTTP/1.1 requests must carry a Host header");
        }
        String uri = request.uri();
        if (uri.length() > MAX_URI) {
            return Problem.of(414, "uri-too-long", "URI too long", "the request URI is longer than " + MAX_URI + " characters");
        }
        long headerBytes = 0;
        for (Map.Entry<String, String> h : request.headers()) {
            headerBytes += h.getKey().length() + h.getValue().length() + 4;
        }
        if (headerBytes > MAX_HEADERS) {
            return Problem.of(431, "headers-too-large", "Request headers too large",
                    "the request's headers are larger than " + MAX_HEADERS + " bytes");
        }
        long length = contentLength(request);
        String path = request.path();
        long limit = path.startsWith("/v1/sessions") ? MAX_SESSION_BODY : maxBody;
        if (length > limit) {
            return Problem.of(413, "body-too-large", "Request body too large",
                    "the request body is larger than " + limit + " bytes");
        }
        if (path.startsWith("/q/metrics") && request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
            return Problem.of(405, "method-not-allowed", "Method not allowed", "metrics are read with GET");
        }
        Problem query = queryProblem(uri);
        if (query != null) {
            return query;
        }
        try {
            new URI(uri);
            QueryStringDecoder.decodeComponent(path);
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Problem.of(400, "malformed-uri", "Malformed URI", "the request URI is not a valid URI: "
                    + Text.printable(e.getMessage()));
        }
        return null;
    }

    /** A query parameter that does not decode, or decodes to text PostgreSQL cannot store: 400 naming it. */
    static Problem queryProblem(String uri) {
        int q = uri.indexOf('?');
        if (q < 0) {
            return null;
        }
        String query = uri.substring(q + 1);
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String rawName = eq < 0 ? pair : pair.substring(0, eq);
            String name;
            String value;
            try {
                name = QueryStringDecoder.decodeComponent(rawName);
                value = eq < 0 ? "" : QueryStringDecoder.decodeComponent(pair.substring(eq + 1));
            } catch (IllegalArgumentException e) {
                return badParameter(Text.printable(rawName), "query parameter '" + Text.printable(rawName)
                        + "' has a malformed %-escape");
            }
            String fault = Text.unstorable(name) != null ? Text.unstorable(name) : Text.unstorable(value);
            if (fault != null) {
                return badParameter(Text.printable(name), "query parameter '" + Text.printable(name) + "' " + fault);
            }
        }
        return null;
    }

    private static Problem badParameter(String name, String detail) {
        return ApiException.badField(name, detail).toProblem();
    }

    private static long contentLength(HttpServerRequest request) {
        String value = request.getHeader("Content-Length");
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
