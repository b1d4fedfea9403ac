package io.calltrack.session;

import java.util.List;
import java.util.Locale;

/**
 * Search engines and social networks recognised in referrers. No maintained JVM library for this
 * resolves from Maven Central, so the table lives here. Google and Yandex referrers usually carry no
 * query any more, so the keyword comes from utm_term when there is one.
 */
final class ReferrerTable {

    /** @param hostPart matched against the referrer host's labels, e.g. "google" matches www.google.co.uk */
    record Engine(String name, String hostPart, String queryParam) {
    }

    static final List<Engine> SEARCH = List.of(
            new Engine("google", "google", "q"),
            new Engine("bing", "bing", "q"),
            new Engine("yandex", "yandex", "text"),
            new Engine("yandex", "ya", "text"),
            new Engine("duckduckgo", "duckduckgo", "q"),
            new Engine("yahoo", "yahoo", "p"),
            new Engine("baidu", "baidu", "wd"),
            new Engine("ecosia", "ecosia", "q"),
            new Engine("mail.ru", "go.mail", "q"),
            new Engine("rambler", "nova.rambler", "query"),
            new Engine("naver", "naver", "query"),
            new Engine("seznam", "seznam", "q"),
            new Engine("sogou", "sogou", "query"),
            new Engine("qwant", "qwant", "q"),
            new Engine("startpage", "startpage", "query"),
            new Engine("brave", "search.brave", "q"),
            new Engine("ask", "ask", "q"),
            new Engine("aol", "search.aol", "q"));

    static final List<String[]> SOCIAL = List.of(
            new String[]{"facebook", "facebook.com"}, new String[]{"facebook", "fb.com"}, new String[]{"facebook", "fb.me"},
            new String[]{"instagram", "instagram.com"}, new String[]{"twitter", "t.co"}, new String[]{"twitter", "twitter.com"},
            new String[]{"twitter", "x.com"}, new String[]{"linkedin", "linkedin.com"}, new String[]{"linkedin", "lnkd.in"},
            new String[]{"vk", "vk.com"}, new String[]{"vk", "vk.ru"}, new String[]{"ok", "ok.ru"},
            new String[]{"youtube", "youtube.com"}, new String[]{"pinterest", "pinterest.com"},
            new String[]{"reddit", "reddit.com"}, new String[]{"tiktok", "tiktok.com"}, new String[]{"telegram", "t.me"},
            new String[]{"whatsapp", "whatsapp.com"}, new String[]{"threads", "threads.net"}, new String[]{"dzen", "dzen.ru"});

    private ReferrerTable() {
    }

    static Engine searchEngine(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        for (Engine e : SEARCH) {
            // a label match: "google" in "www.google.de", "ya" only as "ya.ru"
            if (h.equals(e.hostPart() + ".ru") || h.startsWith(e.hostPart() + ".") || h.contains("." + e.hostPart() + ".")) {
                if (!e.hostPart().equals("ya") || h.equals("ya.ru") || h.endsWith(".ya.ru")) {
                    return e;
                }
            }
        }
        return null;
    }

    static String socialNetwork(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        for (String[] s : SOCIAL) {
            if (h.equals(s[1]) || h.endsWith("." + s[1])) {
                return s[0];
            }
        }
        return null;
    }
}
