package io.calltrack.session;

import io.calltrack.web.Text;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;

/**
 * Classifies a visit's traffic source from its landing URL and referrer, the way web analytics do:
 * utm_* parameters win; click ids imply paid search or paid social; then the referrer, against the field's
 * maintained lists ({@link ReferrerLists}): an AI assistant is medium "ai" with the assistant as source, webmail
 * is "email", a search engine is "organic" with the engine as source, an ad network "display", a social
 * network "social"; another site is a referral from its domain; none is direct. The keyword is the search
 * query in the referrer where the engine still sends it, else utm_term.
 */
public final class SourceClassifier {

    private static final List<String> GOOGLE_CLICK_IDS = List.of("gclid", "gbraid", "wbraid");

    private SourceClassifier() {
    }

    public static TrafficSource classify(String landingUrl, String referrer) {
        URI landing = parse(landingUrl);
        Map<String, String> q = query(landing);
        URI ref = parse(referrer);
        String refHost = ref == null || ref.getHost() == null ? null : stripWww(ref.getHost());
        String landingHost = landing == null || landing.getHost() == null ? null : stripWww(landing.getHost());
        boolean internal = refHost != null && refHost.equalsIgnoreCase(landingHost);
        String referrerDomain = refHost == null || internal ? null : refHost.toLowerCase(Locale.ROOT);
        String path = landing == null || landing.getRawPath() == null || landing.getRawPath().isEmpty() ? "/" : landing.getPath();
        String gclid = first(q, GOOGLE_CLICK_IDS);
        String yclid = q.get("yclid");
        String fbclid = q.get("fbclid");
        String refFull = referrerDomain == null ? null : ref.getHost().toLowerCase(Locale.ROOT);
        String assistant = refFull == null ? null : ReferrerLists.aiAssistant(refFull);
        boolean webmail = refFull != null && ReferrerLists.isWebmail(refFull);
        ReferrerLists.Engine engine = refFull == null || assistant != null || webmail ? null : ReferrerLists.searchEngine(refFull);
        Map<String, String> refQuery = refFull == null ? Map.of() : query(ref);
        String searchTerms = engine == null ? null : engine.keyword(refQuery, decode(
                (ref.getRawPath() == null ? "" : ref.getRawPath()) + (ref.getRawQuery() == null ? "" : "?" + ref.getRawQuery())));
        if (engine != null && searchTerms == null) {
            searchTerms = ReferrerLists.commonTerms(refQuery); // the list names too few parameters for some engines
        }
        String social = refFull == null ? null : ReferrerLists.socialNetwork(refFull);
        if (engine != null && searchTerms == null && social != null) {
            engine = null; // facebook.com/l.php: a network that also searches, here passing a link on
        }
        String genericTerms = engine != null || social != null || refFull == null || assistant != null || webmail ? null
                : ReferrerLists.genericSearchTerms(refFull, ref.getPath(), refQuery);
        if (genericTerms != null) {
            searchTerms = genericTerms;
        }

        String source;
        String medium;
        if (q.containsKey("utm_source") || q.containsKey("utm_medium")) {
            source = q.getOrDefault("utm_source", referrerDomain != null ? referrerDomain : "(direct)");
            medium = q.getOrDefault("utm_medium", "(none)");
        } else if (gclid != null) {
            source = "google";
            medium = "cpc";
        } else if (yclid != null) {
            source = "yandex";
            medium = "cpc";
        } else if (q.containsKey("msclkid")) {
            source = "bing";
            medium = "cpc";
        } else if (fbclid != null) {
            source = "facebook";
            medium = "paid-social";
        } else if (q.containsKey("ttclid")) {
            source = "tiktok";
            medium = "paid-social";
        } else if (q.containsKey("li_fat_id")) {
            source = "linkedin";
            medium = "paid-social";
        } else if (q.containsKey("twclid")) {
            source = "twitter";
            medium = "paid-social";
        } else if (assistant != null) {
            source = assistant;
            medium = "ai";
        } else if (webmail) {
            source = referrerDomain;
            medium = "email";
        } else if (engine != null) {
            source = engine.name();
            medium = "organic";
        } else if (genericTerms != null) {
            source = referrerDomain;
            medium = "organic";
        } else if (referrerDomain != null && ReferrerLists.isAdNetwork(refFull)) {
            source = referrerDomain;
            medium = "display";
        } else if (referrerDomain != null) {
            source = social != null ? social : referrerDomain;
            medium = social != null ? "social" : "referral";
        } else {
            source = "(direct)";
            medium = "(none)";
        }
        // what the visitor typed, where the engine still says it, else what the ad was bought for
        String typed = blankToNull(searchTerms);
        String keyword = typed != null ? typed : q.get("utm_term");
        return new TrafficSource(lower(source), lower(medium), q.get("utm_campaign"), q.get("utm_content"), keyword,
                referrerDomain, path, gclid, yclid, fbclid, q.get("msclkid"), q.get("ttclid"));
    }

    /** The value of the first of {@code names} the query carries, or null. */
    static String first(Map<String, String> q, List<String> names) {
        for (String n : names) {
            if (q.get(n) != null) {
                return q.get(n);
            }
        }
        return null;
    }

    private static URI parse(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        try {
            return URI.create(url.strip().replace(" ", "%20"));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Query parameters, decoded; the first value of a repeated one wins; empty values are absent. */
    static Map<String, String> query(URI uri) {
        Map<String, String> out = new HashMap<>();
        if (uri == null || uri.getRawQuery() == null) {
            return out;
        }
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = decode(pair.substring(0, eq)).toLowerCase(Locale.ROOT);
            String value = decode(pair.substring(eq + 1)).strip();
            if (!value.isEmpty()) {
                out.putIfAbsent(key, value);
            }
        }
        return out;
    }

    /** Decoded, without NUL characters: a link's %00 is kept as the rest of the value (PostgreSQL text refuses NUL). */
    private static String decode(String s) {
        try {
            return Text.storable(URLDecoder.decode(s, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    private static String stripWww(String host) {
        return host.startsWith("www.") ? host.substring(4) : host;
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
