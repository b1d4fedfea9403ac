package io.calltrack.auth;

import io.calltrack.web.Problem;
import io.calltrack.web.ProblemMappers;
import io.quarkus.arc.ClientProxy;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Locale;

/**
 * Every API route needs a Bearer key with the role its resource asks for ({@link Requires}), or a console
 * session signed in with such a key ({@link ConsoleSessions}); only {@link Public} resources, which visitors'
 * browsers call, are served without one. A missing or unknown key
 * is a 401, a key whose role is too low a 403, both as problem+json.
 */
public class ApiKeyFilter {

    private static final Uni<Response> PROCEED = Uni.createFrom().nullItem();

    private final ApiKeys keys;
    private final Caller caller;
    private final ConsoleSessions sessions;

    ApiKeyFilter(ApiKeys keys, Caller caller, ConsoleSessions sessions) {
        this.keys = keys;
        this.caller = caller;
        this.sessions = sessions;
    }

    @ServerRequestFilter
    public Uni<Response> authenticate(ContainerRequestContext request, ResourceInfo resource) {
        Class<?> type = resource.getResourceClass();
        if (type == null || type.isAnnotationPresent(Public.class)) {
            return PROCEED;
        }
        Role needed = needed(resource);
        String secret = ApiKeys.bearer(request.getHeaderString("Authorization"));
        // the key is looked up off this thread: hold the request's own Caller, not the proxy
        Caller holder = ClientProxy.unwrap(caller);
        if (secret == null) {
            Cookie cookie = request.getCookies().get(ConsoleSessions.COOKIE);
            return cookie == null ? Uni.createFrom().item(unauthorized(null)) : fromConsole(request, cookie.getValue(), needed, holder);
        }
        return keys.find(secret).map(key -> {
            if (key.isEmpty()) {
                return unauthorized(secret);
            }
            return authorize(key.get(), needed, holder);
        });
    }

    /**
     * A console request: the session's key, as a Bearer key would be; a change (any method but GET and HEAD)
     * also needs the session's CSRF token in a header, which another site's page cannot read or send.
     */
    private Uni<Response> fromConsole(ContainerRequestContext request, String token, Role needed, Caller holder) {
        return sessions.touch(token).chain(session -> {
            if (session.isEmpty()) {
                return Uni.createFrom().item(problem(401, "session-ended", "Unauthorized", "the console session ended: sign in again"));
            }
            String method = request.getMethod();
            if (!method.equals("GET") && !method.equals("HEAD")
                    && !ConsoleSessions.sameToken(session.get().csrf(), request.getHeaderString(ConsoleSessions.CSRF_HEADER))) {
                return Uni.createFrom().item(problem(403, "csrf", "Forbidden",
                        "a change from the console needs the session's " + ConsoleSessions.CSRF_HEADER + " header"));
            }
            return keys.findByHash(session.get().keyHash()).map(key -> {
                if (key.isEmpty()) {
                    return problem(401, "session-ended", "Unauthorized", "the key this console signed in with was revoked");
                }
                return authorize(key.get(), needed, holder);
            });
        });
    }

    private static Response authorize(ApiKey key, Role needed, Caller holder) {
        if (!key.role().includes(needed)) {
            return problem(403, "forbidden", "Forbidden", "this needs a " + name(needed) + " key; this key is " + name(key.role()));
        }
        holder.authenticate(key);
        return null;
    }

    private static Response problem(int status, String type, String title, String detail) {
        return ProblemMappers.respond(Problem.of(status, type, title, detail));
    }

    private static Role needed(ResourceInfo resource) {
        Requires onMethod = resource.getResourceMethod().getAnnotation(Requires.class);
        if (onMethod != null) {
            return onMethod.value();
        }
        Requires onClass = resource.getResourceClass().getAnnotation(Requires.class);
        return onClass != null ? onClass.value() : Role.ADMIN;
    }

    private static String name(Role role) {
        return role.name().toLowerCase(Locale.ROOT);
    }

    private static Response unauthorized(String secret) {
        return Response.status(401).type(Problem.MEDIA_TYPE).header("WWW-Authenticate", ApiKeys.CHALLENGE)
                .entity(ApiKeys.unauthorized(secret)).build();
    }
}
