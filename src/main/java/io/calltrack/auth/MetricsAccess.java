package io.calltrack.auth;

import io.calltrack.web.Problem;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * /q/metrics is not a JAX-RS resource, so {@link ApiKeyFilter} does not see it: this guards it the same way
 * (a key for every site, any role; Prometheus sends it as {@code authorization: {credentials: ...}}).
 * Health stays open for probes; the OpenAPI document and Swagger UI hold no data and stay open too.
 */
@ApplicationScoped
public class MetricsAccess {

    void guard(@Observes Router router, ApiKeys keys) {
        router.route("/q/metrics*").order(Integer.MIN_VALUE + 1).handler(rc -> {
            String secret = ApiKeys.bearer(rc.request().getHeader("Authorization"));
            if (secret == null) {
                refuse(rc, ApiKeys.unauthorized(null));
                return;
            }
            keys.find(secret).subscribe().with(key -> {
                if (key.isEmpty()) {
                    refuse(rc, ApiKeys.unauthorized(secret));
                } else if (!key.get().allSites()) {
                    refuse(rc, Problem.of(403, "forbidden", "Forbidden",
                            "metrics cover every site: this needs a key that is not limited to one"));
                } else {
                    rc.next();
                }
            }, rc::fail);
        });
    }

    private static void refuse(RoutingContext rc, Problem problem) {
        rc.response().setStatusCode(problem.status()).putHeader("Content-Type", Problem.MEDIA_TYPE);
        if (problem.status() == 401) {
            rc.response().putHeader("WWW-Authenticate", ApiKeys.CHALLENGE);
        }
        rc.response().end(Json.encode(problem));
    }
}
