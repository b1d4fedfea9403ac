package io.calltrack.web;

import io.vertx.ext.web.RoutingContext;
import org.jboss.logging.MDC;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Every response carries X-Request-Id: the caller's own when it sent a sensible one, else a new one; the log
 * lines written while serving the request carry it too (MDC key requestId, in the log format), so a CRM's
 * support ticket quoting it finds the service's side of the story.
 */
final class RequestIds {

    static final String HEADER = "X-Request-Id";
    static final String MDC_KEY = "requestId";
    /** What is echoed: a few safe characters, so a header cannot forge log lines or smuggle markup. */
    private static final Pattern SENSIBLE = Pattern.compile("[A-Za-z0-9._:@/+=-]{1,128}");

    private RequestIds() {
    }

    static void tag(RoutingContext rc) {
        String sent = rc.request().getHeader(HEADER);
        String id = sent != null && SENSIBLE.matcher(sent).matches() ? sent : fresh();
        rc.response().putHeader(HEADER, id);
        MDC.put(MDC_KEY, id); // on the request's own (duplicated) Vert.x context: seen by its handlers only
    }

    private static String fresh() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return Long.toHexString(r.nextLong() | Long.MIN_VALUE) + Long.toHexString(r.nextLong() | Long.MIN_VALUE);
    }
}
