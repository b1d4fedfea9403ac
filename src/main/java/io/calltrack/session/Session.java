package io.calltrack.session;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A visit: one visitor's session on a site and the traffic source it came from. */
@Entity
@Table(name = "sessions")
public class Session extends PanacheEntityBase {
    @Id
    public String id;
    public String siteKey;
    public String visitorId;
    public String poolId;
    public String number;
    public Instant startedAt;
    public Instant lastSeenAt;
    public String source;
    public String medium;
    public String campaign;
    public String content;
    public String keyword;
    public String landingUrl;
    public String referrer;
    public String gclid;
    public String yclid;
    public String fbclid;
    public String gaClientId;
    public String pageTitle;
    public String userAgent;
    public String ip;
    public boolean bot;
}
