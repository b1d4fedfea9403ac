package io.calltrack.auth;

import io.calltrack.web.ApiException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.Optional;

/**
 * Sign-in and sign-out of the console (served at /console/): not part of the API, which takes keys as
 * Bearer headers. The key arrives once, in a POST body; the browser keeps only an HttpOnly, SameSite=Strict
 * cookie (Secure over https) and the page keeps the CSRF token in memory.
 */
@Path("/console/session")
@Public
@Produces(MediaType.APPLICATION_JSON)
public class ConsoleSessionResource {

    private final ApiKeys keys;
    private final ConsoleSessions sessions;
    private final boolean httpsOnly;

    ConsoleSessionResource(ApiKeys keys, ConsoleSessions sessions,
                           @ConfigProperty(name = "calltrack.public-url") Optional<String> publicUrl) {
        this.keys = keys;
        this.sessions = sessions;
        this.httpsOnly = publicUrl.map(u -> u.startsWith("https://")).orElse(false);
    }

    public record SignIn(String key) {
    }

    /** Who is signed in: what the console shows and allows follows the key's role and site. */
    public record SessionInfo(String name, Role role, String site, String csrf, long idleTimeoutSeconds) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Uni<Response> signIn(SignIn body, @Context UriInfo uri) {
        if (body == null || body.key() == null || body.key().isBlank()) {
            throw ApiException.badField("key", "key is required: the API key to sign in with");
        }
        String secret = body.key().trim();
        return keys.find(secret).chain(key -> {
            if (key.isEmpty()) {
                throw new ApiException(401, "unauthorized", "Unauthorized", "the API key is unknown or revoked", "key");
            }
            return sessions.open(key.get(), secret);
        }).map(opened -> Response.ok(info(opened.key(), opened.session()))
                .cookie(cookie(opened.token(), secure(uri), -1)).build());
    }

    @GET
    @Operation(hidden = true)
    public Uni<SessionInfo> current(@CookieParam(ConsoleSessions.COOKIE) String token) {
        return sessions.touch(token).chain(session -> {
            if (session.isEmpty()) {
                throw new ApiException(401, "session-ended", "Unauthorized", "not signed in", null);
            }
            return keys.findByHash(session.get().keyHash()).map(key -> {
                if (key.isEmpty()) {
                    throw new ApiException(401, "session-ended", "Unauthorized", "the key this console signed in with was revoked", null);
                }
                return info(key.get(), session.get());
            });
        });
    }

    @DELETE
    @Operation(hidden = true)
    public Uni<Response> signOut(@CookieParam(ConsoleSessions.COOKIE) String token,
                                 @HeaderParam(ConsoleSessions.CSRF_HEADER) String csrf, @Context UriInfo uri) {
        return sessions.touch(token).chain(session -> {
            if (session.isPresent() && !ConsoleSessions.sameToken(session.get().csrf(), csrf)) {
                throw new ApiException(403, "csrf", "Forbidden", "signing out needs the session's "
                        + ConsoleSessions.CSRF_HEADER + " header", null);
            }
            return sessions.close(token);
        }).map(v -> Response.noContent().cookie(cookie("", secure(uri), 0)).build());
    }

    private SessionInfo info(ApiKey key, ConsoleSessions.Session session) {
        return new SessionInfo(key.name(), key.role(), key.site(), session.csrf(), sessions.idleTimeout().toSeconds());
    }

    /** Secure when the service is published over https (calltrack.public-url) or the request came over it. */
    private boolean secure(UriInfo uri) {
        return httpsOnly || "https".equals(uri.getRequestUri().getScheme());
    }

    /** maxAge -1: for the browser session; 0: delete. */
    private static NewCookie cookie(String value, boolean secure, int maxAge) {
        return new NewCookie.Builder(ConsoleSessions.COOKIE).value(value).path("/").httpOnly(true)
                .sameSite(NewCookie.SameSite.STRICT).secure(secure).maxAge(maxAge).build();
    }
}
