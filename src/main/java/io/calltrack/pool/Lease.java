package io.calltrack.pool;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** One session's hold on one number: the history attribution and pool sizing read. */
@Entity
@Table(name = "leases")
@IdClass(Lease.Key.class)
public class Lease extends PanacheEntityBase {
    @Id
    public String sessionId;
    @Id
    public String number;
    public String poolId;
    public String visitorId;
    public Instant startedAt;
    public Instant lastSeenAt;
    /** null while the lease is live */
    public Instant endedAt;
    /** the number was shared with other sessions because the pool was exhausted */
    public boolean shared;

    /** A session holds a number at most once: the pair is the lease's identity. */
    public static class Key implements Serializable {
        public String sessionId;
        public String number;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(sessionId, k.sessionId) && Objects.equals(number, k.number);
        }

        @Override
        public int hashCode() {
            return Objects.hash(sessionId, number);
        }
    }
}
