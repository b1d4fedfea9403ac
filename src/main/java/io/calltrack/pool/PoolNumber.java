package io.calltrack.pool;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/** A tracking number and whether it may be issued. */
@Entity
@Table(name = "pool_numbers")
public class PoolNumber extends PanacheEntityBase {

    @Schema(examples = "ACTIVE")
    public enum State {
        /** issued normally */
        ACTIVE,
        /** removed from the config: not issued again, a live lease runs out */
        DRAINING,
        /** taken out of rotation by an admin (e.g. spam calls), reversible */
        QUARANTINED
    }

    @Id
    public String number;
    public String poolId;
    @Enumerated(EnumType.STRING)
    public State state;
    /** CONFIG: listed in number-pool.yaml (drained when removed from it); API: added by an admin */
    public String origin;
    public Instant addedAt;
    public Instant updatedAt;
}
