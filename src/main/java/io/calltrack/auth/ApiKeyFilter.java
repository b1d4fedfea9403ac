package io.calltrack.auth;

import io.calltrack.web.Problem;
import io.quarkus.arc.ClientProxy;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Locale;

/**
 * Every API route needs a Bearer key with the role its resource asks for ({@link Requires}); only
 * {@link Public} resources, which visitors' browsers call, are served without one. A missing or unknown key
 * is a 401, a key whose role is too low a 403, both as problem+json.
 */
public class ApiKeyFilter {

    private static final Uni<Response> PROCEED = Uni.createFrom().nullItem();

    private final ApiKeys keys;
    private final Caller caller;

    ApiKeyFilter(ApiKeys keys, Caller caller) {
        this.keys = keys;
        this.caller = caller;
    }

    @ServerRequestFilter
    public Uni<Response> authenticate(ContainerRequestContext request, ResourceInfo resource) {
        Class<?> type = resource.getResourceClass();
        if (type == null || type.isAnnotationPresent(Public.class)) {
            return PROCEED;
        }
        Role needed = needed(resource);
        String secret = ApiKeys.bearer(request.getHeaderString("Authorization"));
        if (secret == null) {
            return Uni.createFrom().item(unauthorized(null));
        }
        // the key is looked up off this thread: hold the request's own Caller, not the proxy
        Caller holder = ClientProxy.unwrap(caller);
        return keys.find(secret).map(key -> {
            if (key.isEmpty()) {
                return unauthorized(secret);
            }
            if (!key.get().role().includes(needed)) {
                return Response.status(403).type(Problem.MEDIA_TYPE).entity(Problem.of(403, "forbidden", "Forbidden",
                        "this needs a " + name(needed) + " key; this key is " + name(key.get().role()))).build();
            }
            holder.authenticate(key.get());
            return null;
        });
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
