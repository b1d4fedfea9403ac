package io.calltrack.web;

import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.List;
import java.util.Map;

/**
 * Path parameters that decode to text PostgreSQL cannot store (e.g. {@code /numbers/%00/drain}) are refused
 * with a 400 naming the parameter, once for every route (query strings are checked earlier, in {@link HttpGuard}).
 */
public class PathGuard {

    @ServerRequestFilter
    public void check(UriInfo uri) {
        for (Map.Entry<String, List<String>> p : uri.getPathParameters().entrySet()) {
            for (String value : p.getValue()) {
                String fault = Text.unstorable(value);
                if (fault != null) {
                    throw ApiException.badField(p.getKey(), p.getKey() + " " + fault);
                }
            }
        }
    }
}
