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
            String header = rc.request().getHeader("Authorization");
            if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
                refuse(rc, 401, "send an API key: Authorization: Bearer <key>");
                return;
            }
            keys.find(header.substring(7).trim()).subscribe().with(key -> {
                if (key.isEmpty()) {
                    refuse(rc, 401, "the API key is unknown or revoked");
                } else if (!key.get().allSites()) {
                    refuse(rc, 403, "metrics cover every site: this needs a key that is not limited to one");
                } else {
                    rc.next();
                }
            }, rc::fail);
        });
    }

    private static void refuse(RoutingContext rc, int status, String detail) {
        rc.response().setStatusCode(status).putHeader("Content-Type", Problem.MEDIA_TYPE);
        if (status == 401) {
            rc.response().putHeader("WWW-Authenticate", "Bearer realm=\"calltrack\"");
        }
        rc.response().end(Json.encode(Problem.of(status, status == 401 ? "unauthorized" : "forbidden",
                status == 401 ? "Unauthorized" : "Forbidden", detail)));
    }
}
