package io.calltrack.pool;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A pool as last synced from number-pool.yaml. */
@Entity
@Table(name = "pools")
public class PoolRecord extends PanacheEntityBase {
    @Id
    public String id;
    public String siteKey;
    public String kind;
    public int position;
    public String matchRule;
    public long holdSeconds;
    @Column(name = "late_window_seconds")
    public long lateWindowSeconds;
    public String exhaustion;
    public String attributeSource;
    public String attributeMedium;
    public String attributeCampaign;
    public boolean active;
    public Instant updatedAt;
}
