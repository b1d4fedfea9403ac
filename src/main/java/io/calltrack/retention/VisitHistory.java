package io.calltrack.retention;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Keeps the visit and lease history's monthly partitions: makes this month's and the next two ahead of their
 * first rows (and a month for any rows the default partition took), and, with {@code calltrack.retention.visits}
 * set, prunes each month that ended longer ago than that ({@link MonthPrune}). One replica at a time (an
 * advisory lock), at start and every {@code calltrack.retention.check-every}.
 */
@ApplicationScoped
public class VisitHistory {

    private static final Logger LOG = Logger.getLogger(VisitHistory.class);
    /** pg_try_advisory_xact_lock key: one keeper at a time across replicas. */
    private static final long LOCK = 0x5649534954484953L;
    /** Months made ahead of the current one. */
    private static final int AHEAD = 2;

    private final Pool db;
    private final Clock clock;
    private final Optional<Duration> retention;

    VisitHistory(Pool db, Clock clock, @ConfigProperty(name = "calltrack.retention.visits") Optional<Duration> retention) {
        this.db = db;
        this.clock = clock;
        this.retention = retention.filter(d -> !d.isZero());
    }

    /** What a run did. */
    public record Kept(List<YearMonth> made, List<MonthPrune.Pruned> pruned, String skipped) {
    }

    @Scheduled(every = "${calltrack.retention.check-every:1h}", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return keep(clock.instant(), retention).replaceWithVoid().onFailure().recoverWithItem(e -> {
            LOG.warnf("visit history partitions not kept this time (%s); the next run tries again", e.toString());
            return null;
        });
    }

    /** One run as of {@code now}; null when another replica's run held the lock. */
    public Uni<Kept> keep(Instant now, Optional<Duration> retention) {
        // making or dropping a partition locks the whole table a moment: behind a long query that would hold every
        // visit write back in the lock queue, so such a wait gives up instead, to be tried on the next run
        return db.withTransaction(conn -> conn.query("SET LOCAL lock_timeout = '2s'").execute()
                .chain(() -> conn.preparedQuery("SELECT pg_try_advisory_xact_lock($1) AS locked").execute(Tuple.of(LOCK)))
                .chain(locked -> !locked.iterator().next().getBoolean("locked") ? Uni.createFrom().nullItem() : run(conn, now, retention)));
    }

    /**
     * Entries of open_leases whose lease has ended or gone: its triggers keep none, but should one be left by a
     * writer outside them (a partition's rows replaced by hand, say), attribution would read that number's history
     * back to its start for good.
     */
    private static final String OPEN_LEFT = """
            DELETE FROM open_leases o WHERE NOT EXISTS (SELECT 1 FROM leases l
                WHERE l.number = o.number AND l.started_at = o.started_at AND l.session_id = o.session_id AND l.ended_at IS NULL)""";

    private Uni<Kept> run(SqlConnection conn, Instant now, Optional<Duration> retention) {
        YearMonth current = YearMonth.from(now.atOffset(ZoneOffset.UTC));
        return conn.query(OPEN_LEFT).execute().invoke(gone -> {
            if (gone.rowCount() > 0) {
                LOG.warnf("%d entries of open_leases named leases no longer open: dropped", gone.rowCount());
            }
        }).chain(() -> Months.existing(conn)).chain(existing -> Months.inDefault(conn).chain(stray -> {
            Set<YearMonth> wanted = new TreeSet<>(stray);
            for (int i = 0; i <= AHEAD; i++) {
                wanted.add(current.plusMonths(i));
            }
            wanted.removeAll(existing);
            List<YearMonth> made = new ArrayList<>(wanted);
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (YearMonth m : made) {
                chain = chain.chain(() -> Months.make(conn, m));
            }
            if (!made.isEmpty()) {
                LOG.infof("visit and lease partitions made for %s", made);
            }
            Set<YearMonth> all = new TreeSet<>(existing);
            all.addAll(made);
            return chain.chain(() -> retention.isEmpty() ? Uni.createFrom().item(new Kept(made, List.of(), null))
                    : MonthPrune.due(conn, all, now, retention.get()).map(r -> new Kept(made, r.pruned(), r.skipped())));
        }));
    }
}
