package io.calltrack.pool;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** One session's hold on one number: the history attribution and pool sizing read. */
@Entity
@Table(name = "leases")
public class Lease extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String poolId;
    public String number;
    public String sessionId;
    public String visitorId;
    public Instant startedAt;
    public Instant lastSeenAt;
    /** null while the lease is live */
    public Instant endedAt;
    /** the number was shared with other sessions because the pool was exhausted */
    public boolean shared;
}
