package io.calltrack.session;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Search engines, social networks and AI assistants recognised in referrers, from Matomo's maintained
 * searchengine-and-social-list (vendored under resources/vendor/matomo, CC0-1.0, see its NOTICE), read once at
 * start-up into host maps: a lookup is a few hash probes, nothing grows per request. Webmail and ad-network
 * hosts, which the lists do not cover, are the two short rules at the end.
 */
final class ReferrerLists {

    /** A search engine: its name and where its referrers carry the query (parameter names, or regexes on the URL). */
    record Engine(String name, List<String> params, List<Pattern> urlPatterns) {

        /** The search terms a referrer of this engine carries, or null (Google and Yandex mostly send none now). */
        String keyword(Map<String, String> query, String pathAndQuery) {
            String byParam = SourceClassifier.first(query, params);
            if (byParam != null) {
                return byParam;
            }
            for (Pattern p : urlPatterns) {
                Matcher m = p.matcher(pathAndQuery);
                if (m.find() && m.groupCount() > 0 && m.group(1) != null) {
                    return m.group(1);
                }
            }
            return null;
        }
    }

    /** By host as the list writes it: exact, or with "{}" for any country ending (google.{} is google.de, google.co.uk). */
    private static final Map<String, Engine> ENGINES = new HashMap<>();
    private static final Map<String, String> SOCIALS = new HashMap<>();
    private static final Map<String, String> ASSISTANTS = new HashMap<>();

    private static final Set<String> WEBMAIL = Set.of("mail.google.com", "outlook.live.com", "outlook.office.com",
            "outlook.office365.com", "mail.yahoo.com", "mail.yandex.ru", "mail.yandex.com", "e.mail.ru", "mail.rambler.ru",
            "mail.aol.com", "mail.proton.me", "mail.zoho.com", "mail.163.com", "mail.qq.com");
    private static final Set<String> AD_NETWORKS = Set.of("doubleclick.net", "googlesyndication.com", "adnxs.com",
            "criteo.com", "criteo.net", "taboola.com", "outbrain.com", "adform.net", "an.yandex.ru", "yabs.yandex.ru",
            "ads.yahoo.com", "ads.vk.com", "target.my.com", "adriver.ru");

    /**
     * Social hosts the list lacks (checked against its July 2026 version): Russian networks' current domains and
     * messengers whose links carry visitors, link-in-bio pages. Candidates to send upstream; the list's own entry wins when it has one.
     */
    private static final Map<String, String> SOCIAL_ADDITIONS = Map.of("ok.ru", "odnoklassniki", "vk.ru", "vkontakte",
            "dzen.ru", "dzen", "t.me", "telegram", "web.telegram.org", "telegram", "whatsapp.com", "whatsapp",
            "wa.me", "whatsapp", "linktr.ee", "linktree", "lnk.bio", "lnk.bio", "taplink.cc", "taplink");

    static {
        Map<String, Object> engines = load("SearchEngines.yml");
        engines.forEach((name, definitions) -> {
            for (Object d : (List<?>) definitions) {
                Map<?, ?> def = (Map<?, ?>) d;
                List<String> params = new ArrayList<>();
                List<Pattern> patterns = new ArrayList<>();
                for (Object p : list(def.get("params"))) {
                    String param = String.valueOf(p);
                    if (param.length() > 2 && param.startsWith("/") && param.endsWith("/")) {
                        patterns.add(Pattern.compile(param.substring(1, param.length() - 1)));
                    } else {
                        params.add(param.toLowerCase(Locale.ROOT));
                    }
                }
                Engine engine = new Engine(sourceName(name), List.copyOf(params), List.copyOf(patterns));
                for (Object url : list(def.get("urls"))) {
                    ENGINES.putIfAbsent(host(String.valueOf(url)), engine);
                }
            }
        });
        load("Socials.yml").forEach((name, hosts) -> list(hosts).forEach(h -> SOCIALS.putIfAbsent(host(String.valueOf(h)), sourceName(name))));
        SOCIAL_ADDITIONS.forEach(SOCIALS::putIfAbsent);
        load("AIAssistants.yml").forEach((name, hosts) -> list(hosts).forEach(h -> ASSISTANTS.putIfAbsent(host(String.valueOf(h)), sourceName(name))));
    }

    private ReferrerLists() {
    }

    /**
     * The search engine a referrer host belongs to, or null: the host as the list writes it, with "{}" for a
     * country part at either end (google.{} is google.co.uk, {}.search.yahoo.com is es.search.yahoo.com), else
     * the nearest listed domain above it (s3-us3.ixquick.com is ixquick.com).
     */
    static Engine searchEngine(String host) {
        return bySuffix(ReferrerLists::engineAt, host);
    }

    private static Engine engineAt(String host) {
        for (String form : new String[]{host, host.startsWith("www.") ? host.substring(4) : "www." + host}) {
            Engine e = ENGINES.get(form);
            String[] labels = form.split("\\.");
            for (int k = 1; e == null && k <= 2 && k < labels.length; k++) {
                e = ENGINES.get(String.join(".", java.util.Arrays.copyOf(labels, labels.length - k)) + ".{}");
            }
            if (e == null && labels.length > 2) {
                e = ENGINES.get("{}" + form.substring(form.indexOf('.')));
            }
            if (e != null) {
                return e;
            }
        }
        return null;
    }

    /**
     * For hosts no list names: a search page anyway when a label of the host says "search" (aolsearch.com,
     * uk.search-results.com) or its path has a /search segment and a query parameter the field's engines use for
     * the terms. Its terms, or "" when it carries none; null when it is no search page.
     */
    static String genericSearchTerms(String host, String path, Map<String, String> query) {
        boolean searchHost = java.util.Arrays.stream(host.toLowerCase(Locale.ROOT).split("\\.")).anyMatch(l -> l.contains("search"));
        String terms = commonTerms(query);
        boolean searchPath = path != null && SEARCH_PATH.matcher(path).find();
        return searchHost || (searchPath && terms != null) ? (terms == null ? "" : terms) : null;
    }

    /** The search terms under a parameter name the field's engines use, or null. */
    static String commonTerms(Map<String, String> query) {
        return SourceClassifier.first(query, GENERIC_PARAMS);
    }

    private static final List<String> GENERIC_PARAMS = List.of("q", "query", "p", "text", "wd", "kw", "keyword", "keywords", "searchfor", "search");
    private static final Pattern SEARCH_PATH = Pattern.compile("(?i)/search(?:/|;|$|\\.)");

    static String socialNetwork(String host) {
        return bySuffix(SOCIALS::get, host);
    }

    static String aiAssistant(String host) {
        return bySuffix(ASSISTANTS::get, host);
    }

    static boolean isWebmail(String host) {
        return host.toLowerCase(Locale.ROOT).startsWith("webmail.") || bySuffix(h -> WEBMAIL.contains(h) ? h : null, host) != null;
    }

    static boolean isAdNetwork(String host) {
        return bySuffix(h -> AD_NETWORKS.contains(h) ? h : null, host) != null;
    }

    /** The entry for the host or the nearest domain above it (m.facebook.com -> facebook.com). */
    private static <T> T bySuffix(Function<String, T> byHost, String host) {
        String h = host.toLowerCase(Locale.ROOT);
        while (true) {
            T found = byHost.apply(h);
            if (found != null) {
                return found;
            }
            int dot = h.indexOf('.');
            if (dot < 0 || h.indexOf('.', dot + 1) < 0) {
                return null; // never down to a bare top-level domain
            }
            h = h.substring(dot + 1);
        }
    }

    /** A list's name as a source value pool rules can match: lower case, words joined by '-' ("Yahoo!" -> yahoo). */
    static String sourceName(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}.]+", " ").trim().replace(' ', '-');
    }

    /** The host part of a list entry (entries may carry a path). */
    private static String host(String url) {
        int slash = url.indexOf('/');
        return (slash < 0 ? url : url.substring(0, slash)).toLowerCase(Locale.ROOT);
    }

    private static List<?> list(Object value) {
        return value instanceof List<?> l ? l : value == null ? List.of() : List.of(value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> load(String file) {
        try (InputStream in = ReferrerLists.class.getResourceAsStream("/vendor/matomo/" + file)) {
            if (in == null) {
                throw new IOException("missing resource vendor/matomo/" + file);
            }
            Map<String, Object> doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            doc.forEach((k, v) -> out.put(String.valueOf(k), v));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the vendored referrer lists", e);
        }
    }
}
