package io.calltrack.session;

import io.calltrack.Secrets;
import io.calltrack.config.ActiveConfig;
import io.calltrack.config.PingInterval;
import io.calltrack.config.PoolSpec;
import io.calltrack.config.SiteSpec;
import io.calltrack.config.SiteSpec.PrintedNumber;
import io.calltrack.phone.PhoneNumbers;
import io.calltrack.pool.Allocation;
import io.calltrack.pool.NumberAllocator;
import io.calltrack.pool.NumberAllocator.LeaseRequest;
import io.calltrack.session.SessionResponse.SwapNumber;
import io.calltrack.web.ApiException;
import io.calltrack.web.Outages;
import io.calltrack.web.Text;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Starts and renews visits: classifies the traffic source, picks each printed number's first matching
 * pool, and takes the numbers in one Redis round trip (the visit's record rides along); PostgreSQL is
 * written later, in batches, from Redis.
 */
@ApplicationScoped
public class SessionService {

    private static final Pattern VISITOR_ID = Pattern.compile("[A-Za-z0-9_-]{8,64}");
    private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9_-]{22}(~[a-z0-9-]{2,63})+");
    private static final int MAX_URL = 2048;
    private static final int MAX_TEXT = 256;

    private final NumberAllocator allocator;
    private final ActiveConfig config;
    private final VisitLog visitLog;
    private final VisitRecords records;
    private final Clock clock;
    private final PingInterval pings;
    private final Outages outages;

    SessionService(NumberAllocator allocator, ActiveConfig config, VisitLog visitLog, VisitRecords records, Clock clock,
                   Outages outages, PingInterval pings) {
        this.allocator = allocator;
        this.config = config;
        this.visitLog = visitLog;
        this.records = records;
        this.clock = clock;
        this.pings = pings;
        this.outages = outages;
    }

    /** Client facts the request itself does not carry in its body. */
    public record Client(String ip, String userAgent, String origin) {
    }

    SiteSpec site(String siteKey) {
        if (siteKey == null || siteKey.isBlank()) {
            throw ApiException.badField("siteKey", "siteKey is required");
        }
        return config.site(siteKey).orElseThrow(() -> new ApiException(404, "unknown-site", "Unknown site",
                "no site '" + truncate(siteKey, 64) + "' is configured", "siteKey"));
    }

    public Uni<SessionResponse> start(SessionRequest request, Client client) {
        SiteSpec site = site(request.siteKey());
        Origins.check(site, client.origin());
        if (request.visitorId() == null || !VISITOR_ID.matcher(request.visitorId()).matches()) {
            throw ApiException.badField("visitorId", "visitorId must be 8-64 characters of A-Z a-z 0-9 _ -");
        }
        String url = truncate(request.url(), MAX_URL);
        if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
            throw ApiException.badField("url", "url must be the landing page's http(s) URL");
        }
        boolean bot = BotDetector.isBot(client.userAgent());
        TrafficSource source = SourceClassifier.classify(url, truncate(request.referrer(), MAX_URL));
        Map<PrintedNumber, PoolSpec> chosen = new LinkedHashMap<>();
        site.printedNumbers().forEach(p -> chosen.put(p, bot ? null : poolFor(site, p, source)));
        List<PoolSpec> dynamic = chosen.values().stream().filter(p -> p != null && p.isDynamic()).distinct().toList();
        long now = clock.millis(); // the visit's start, and the time its id carries
        StringBuilder id = new StringBuilder(Secrets.timeOrderedBase64Url(now));
        dynamic.forEach(p -> id.append('~').append(p.id()));
        String sessionId = id.toString();
        VisitRecord visit = visit(sessionId, now, site, request, url, source, client, bot);

        Map<String, Uni<Allocation>> allocations = new LinkedHashMap<>();
        for (PoolSpec pool : chosen.values()) {
            if (pool != null && !allocations.containsKey(pool.id())) {
                boolean carriesVisit = !dynamic.isEmpty() && pool == dynamic.get(0);
                String previous = previousFor(request, site, pool, chosen);
                allocations.put(pool.id(), allocator.allocate(pool, new LeaseRequest(sessionId, request.visitorId(), previous,
                        source.source(), client.ip(), carriesVisit ? records.toJson(visit) : null)));
            }
        }
        List<String> pools = new ArrayList<>(allocations.keySet());
        Uni<List<Allocation>> all = pools.isEmpty() ? Uni.createFrom().item(List.of())
                : Uni.join().all(new ArrayList<>(allocations.values())).andFailFast();
        return all.call(results -> dynamic.isEmpty()
                // no lease carried the visit's record: log it on its own (static pools take no Redis call)
                ? visitLog.log(site.key(), results.isEmpty() ? visit : visit.withNumber(results.get(0).poolId(), results.get(0).number()))
                : Uni.createFrom().voidItem()).map(results -> {
            Map<String, Allocation> byPool = new LinkedHashMap<>();
            for (int i = 0; i < pools.size(); i++) {
                byPool.put(pools.get(i), results.get(i));
            }
            if (byPool.values().stream().anyMatch(a -> a.outcome() == Allocation.Outcome.LIMITED)) {
                throw new ApiException(429, "rate-limited", "Too many new visits",
                        "too many new visits from this address or visitor; try again in a minute", null);
            }
            List<SwapNumber> numbers = new ArrayList<>();
            chosen.forEach((printed, pool) -> {
                Allocation a = pool == null ? null : byPool.get(pool.id());
                String number = a == null || a.number() == null ? site.defaultNumber() : a.number();
                numbers.add(new SwapNumber(printed.e164(), number, PhoneNumbers.mirror(printed.printed(), printed.e164(), number),
                        a == null ? null : a.poolId(), a != null && a.leased()));
            });
            boolean leased = numbers.stream().anyMatch(SwapNumber::leased);
            Duration ping = chosen.values().stream().filter(p -> p != null && byPool.containsKey(p.id()) && byPool.get(p.id()).leased())
                    .map(pings::of).min(Comparator.naturalOrder()).orElse(pings.most());
            return SessionResponse.of(leased ? sessionId : null, ping, numbers);
        }).onFailure().recoverWithUni(e -> {
            // Redis out of reach: the page keeps showing the site's own number, as for a bot; logged once per outage
            String down = outages.serviceDown(e);
            if (down == null) {
                return Uni.createFrom().failure(e);
            }
            outages.report(down, e);
            return Uni.createFrom().item(siteNumbers(site));
        });
    }

    /** Every printed number answered with the site's default: no lease, no visit. */
    private SessionResponse siteNumbers(SiteSpec site) {
        List<SwapNumber> numbers = site.printedNumbers().stream()
                .map(p -> new SwapNumber(p.e164(), site.defaultNumber(),
                        PhoneNumbers.mirror(p.printed(), p.e164(), site.defaultNumber()), null, false))
                .toList();
        return SessionResponse.of(null, pings.most(), numbers);
    }

    /** Renews every lease of a visit; false when one has lapsed (the script then starts a new visit). */
    public Uni<Boolean> ping(String sessionId, String siteKey, String origin) {
        if (sessionId == null || !SESSION_ID.matcher(sessionId).matches()) {
            throw ApiException.notFound("no live session '" + truncate(sessionId, 100) + "'");
        }
        List<PoolSpec> pools = new ArrayList<>();
        for (String poolId : sessionId.substring(sessionId.indexOf('~') + 1).split("~")) {
            PoolSpec pool = config.pool(poolId).filter(PoolSpec::isDynamic)
                    .filter(p -> siteKey == null || p.siteKey().equals(siteKey))
                    .orElseThrow(() -> ApiException.notFound("no live session '" + sessionId + "'"));
            Origins.check(site(pool.siteKey()), origin);
            pools.add(pool);
        }
        List<Uni<Boolean>> renewals = pools.stream().map(p -> allocator.ping(p, sessionId).map(o -> o.isPresent())).toList();
        return Uni.join().all(renewals).andFailFast().map(all -> all.stream().allMatch(Boolean::booleanValue));
    }

    private static PoolSpec poolFor(SiteSpec site, PrintedNumber printed, TrafficSource source) {
        for (PoolSpec pool : site.pools()) {
            if (pool.replaces().contains(printed.e164()) && pool.match().matches(source::field)) {
                return pool;
            }
        }
        return null;
    }

    /** The number this browser held last for the pool's printed number, as the script reports it. */
    private static String previousFor(SessionRequest request, SiteSpec site, PoolSpec pool, Map<PrintedNumber, PoolSpec> chosen) {
        if (request.previous() == null || !pool.isDynamic()) {
            return null;
        }
        for (Map.Entry<PrintedNumber, PoolSpec> e : chosen.entrySet()) {
            String previous = e.getValue() == pool ? request.previous().get(e.getKey().e164()) : null;
            if (previous != null) {
                return PhoneNumbers.toE164(previous, site.region()).orElse(null);
            }
        }
        return null;
    }

    private VisitRecord visit(String sessionId, long started, SiteSpec site, SessionRequest r, String url, TrafficSource s, Client c,
                              boolean bot) {
        return new VisitRecord(sessionId, site.key(), r.visitorId(), null, null, started, truncate(s.source(), MAX_TEXT),
                truncate(s.medium(), MAX_TEXT), truncate(s.campaign(), MAX_TEXT), truncate(s.content(), MAX_TEXT),
                truncate(s.keyword(), MAX_TEXT), url, truncate(r.referrer(), MAX_URL), truncate(s.gclid(), MAX_TEXT),
                truncate(s.yclid(), MAX_TEXT), truncate(s.fbclid(), MAX_TEXT), truncate(s.msclkid(), MAX_TEXT),
                truncate(s.ttclid(), MAX_TEXT), truncate(r.gaClientId(), 64),
                truncate(r.title(), 512), truncate(c.userAgent(), 512), c.ip(), bot);
    }

    /**
     * How often a page holding a lease of this pool pings: three times per hold at least, so a lease never lapses
     * between pings of a visible page (never more than once a second; holds under 3 s are for tests and benches).
     */
    /** At most max characters, without NUL (headers and URLs are recorded as sent, less what PostgreSQL refuses). */
    static String truncate(String value, int max) {
        String clean = Text.storable(value);
        return clean == null || clean.length() <= max ? clean : clean.substring(0, max);
    }
}
