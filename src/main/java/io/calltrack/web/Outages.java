package io.calltrack.web;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

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

    private final AtomicLong lastFailure = new AtomicLong();
    private final MeterRegistry metrics;

    Outages(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    /** "PostgreSQL" or "Redis" when the failure is that service being out of reach, else null. */
    public String serviceDown(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
            String message = String.valueOf(e.getMessage());
            if (e instanceof ServiceUnavailableException known) {
                return known.service();
            }
            if (e instanceof PgException pg) {
                // 08: connection exceptions; 57P: the server is shutting down or starting up
                String state = pg.getSqlState();
                return state != null && (state.startsWith("08") || state.startsWith("57P")) ? "PostgreSQL" : null;
            }
            if (e instanceof ClosedConnectionException) {
                return "PostgreSQL";
            }
            // the Redis client's own words for a dropped connection, and Redis' for "not ready yet"
            if (message.startsWith("CONNECTION_CLOSED") || message.startsWith("LOADING ") || message.startsWith("MASTERDOWN ")
                    || slotInTransit(message)) {
                return "Redis";
            }
            if (e instanceof ConnectException || e instanceof NoRouteToHostException
                    || e instanceof java.nio.channels.ClosedChannelException
                    || e instanceof io.netty.channel.ConnectTimeoutException
                    || (e instanceof java.io.IOException && message.contains("Connection reset"))
                    || message.startsWith("Connection closed") || message.contains("Connection is closed")) {
                return whichService(failure);
            }
        }
        return null;
    }

    /**
     * Redis Cluster's error replies for a slot being moved or failed over, once the client's own redirects and retries
     * ran out (the command did not run): a resharding that told the old master of the hand-over before the new one
     * leaves each sending the client on to the other (MOVED) until the new one knows; a failover answers CLUSTERDOWN
     * until the replica is promoted.
     */
    public static boolean slotInTransit(String message) {
        return message != null && (message.startsWith("MOVED ") || message.startsWith("ASK ")
                || message.startsWith("TRYAGAIN ") || message.startsWith("CLUSTERDOWN "));
    }

    /** The service a connection failure is about, from the address it names or the client it came through. */
    private static String whichService(Throwable failure) {
        String redis = port("quarkus.redis.hosts");
        String postgres = port("quarkus.datasource.reactive.url");
        for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
            String message = String.valueOf(e.getMessage());
            if (redis != null && message.contains(redis)) {
                return "Redis";
            }
            if (postgres != null && message.contains(postgres)) {
                return "PostgreSQL";
            }
            for (StackTraceElement frame : e.getStackTrace()) {
                if (frame.getClassName().startsWith("io.vertx.redis")) {
                    return "Redis";
                }
                if (frame.getClassName().startsWith("io.vertx.pgclient") || frame.getClassName().startsWith("io.vertx.sqlclient")) {
                    return "PostgreSQL";
                }
            }
        }
        return "PostgreSQL or Redis"; // a stackless channel error names neither
    }

    /** ":PORT" of a configured server URL (read when needed: the run command sets them as embedded servers start). */
    private static String port(String property) {
        return ConfigProvider.getConfig().getOptionalValue(property, String.class)
                .map(url -> url.replaceFirst("^[a-z]+://", "").replaceFirst("/.*$", "").replaceFirst("^.*@", ""))
                .filter(hostPort -> hostPort.contains(":"))
                .map(hostPort -> hostPort.substring(hostPort.lastIndexOf(':')))
                .orElse(null);
    }

    /**
     * Counts a request that met the outage; logs one line when the outage is new. One window for every service:
     * a dropped connection does not always say whose it was ("PostgreSQL or Redis"), and one outage must not
     * make a line for each way it was named.
     */
    public void report(String service, Throwable failure) {
        metrics.counter("calltrack.outage.requests", "service", service).increment();
        long now = System.currentTimeMillis();
        long previous = lastFailure.getAndSet(now);
        if (now - previous > QUIET.toMillis()) {
            LOG.warnf("%s is unavailable (%s); requests that need it are answered 503 (visitors get the site's "
                    + "own number) until it is back", service, failure.toString());
        }
    }
}
