package io.calltrack.config;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A site as last synced from number-pool.yaml (the file is the source of truth; this is the record). */
@Entity
@Table(name = "sites")
public class SiteRecord extends PanacheEntityBase {
    @Id
    public String key;
    public String name;
    public String region;
    public String domains;
    public String printedNumbers;
    public String defaultNumber;
    public boolean active;
    public Instant updatedAt;
}
