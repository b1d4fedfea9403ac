package io.calltrack.call;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A phone call seen on a PBX, with how it was attributed to a visit or a source. */
@Entity
@Table(name = "calls")
public class Call extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String pbx;
    public String linkedid;
    public String did;
    public String caller;
    public String callerName;
    public Instant startedAt;
    public Instant answeredAt;
    public Instant endedAt;
    public Integer ringSeconds;
    public Integer talkSeconds;
    public String disposition;
    public String extension;
    public boolean incomplete;
    public String siteKey;
    public String poolId;
    public String sessionId;
    public String attributionMethod;
    public String confidence;
    public String source;
    public String medium;
    public String campaign;
    public String keyword;
    public String landingUrl;
    public String referrer;
    public String gclid;
    public String yclid;
    public String fbclid;
    public String gaClientId;
    public boolean repeatCaller;
    public Long firstCallId;
    public Instant createdAt;
    public Instant updatedAt;
}
