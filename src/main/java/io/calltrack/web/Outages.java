package io.calltrack.web;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells a backing service's outage (PostgreSQL or Redis unreachable, shutting down, a connection cut) from a
 * fault of the request, and logs each outage once: a request that meets one is answered 503 (or, for a
 * visitor, the site's own number), and a thousand of them make one log line, not a thousand stack traces.
 */
@ApplicationScoped
public class Outages {

    private static final Logger LOG = Logger.getLogger(Outages.class);
    /** An outage is reported again after this long without a failure. */
    static final Duration QUIET = Duration.ofSeconds(30);

    private final Map<String, Long> lastFailure = new ConcurrentHashMap<>();
    private final MeterRegistry metrics;

    Outages(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    /** "PostgreSQL" or "Redis" when the failure is that service being out of reach, else null. */
    public static String serviceDown(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof PgException pg) {
                // 08: connection exceptions; 57P: the server is shutting down or starting up
                String state = pg.getSqlState();
                return state != null && (state.startsWith("08") || state.startsWith("57P")) ? "PostgreSQL" : null;
            }
            if (e instanceof ClosedConnectionException) {
                return "PostgreSQL";
            }
            if (e instanceof ConnectException || e instanceof NoRouteToHostException
                    || e instanceof io.netty.channel.ConnectTimeoutException
                    || (e instanceof java.io.IOException && String.valueOf(e.getMessage()).contains("Connection reset"))
                    || String.valueOf(e.getMessage()).startsWith("Connection closed")
                    || String.valueOf(e.getMessage()).contains("Connection is closed")) {
                return fromRedis(failure) ? "Redis" : "PostgreSQL";
            }
        }
        return null;
    }

    private static boolean fromRedis(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
            for (StackTraceElement frame : e.getStackTrace()) {
                if (frame.getClassName().startsWith("io.vertx.redis")) {
                    return true;
                }
            }
            if (String.valueOf(e.getMessage()).contains("redis") || String.valueOf(e.getMessage()).contains("6379")) {
                return true;
            }
        }
        return false;
    }

    /** Counts a request that met the outage; logs one line when the outage is new. */
    public void report(String service, Throwable failure) {
        metrics.counter("calltrack.outage.requests", "service", service).increment();
        long now = System.currentTimeMillis();
        Long previous = lastFailure.put(service, now);
        if (previous == null || now - previous > QUIET.toMillis()) {
            LOG.warnf("%s is unavailable (%s); requests that need it are answered 503 (visitors get the site's "
                    + "own number) until it is back", service, failure.toString());
        }
    }
}
