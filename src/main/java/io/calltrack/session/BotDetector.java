package io.calltrack.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.Memo;
import org.ahocorasick.trie.Trie;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Recognises crawlers, link previewers, monitors, HTTP libraries and headless browsers by what their
 * User-Agent announces: first the maintained crawler-user-agents list (vendored, see its NOTICE), whose
 * patterns are almost all plain text, matched together in one pass (Aho-Corasick) with its few regexes as one
 * combined pattern; then generic rules for what lists miss. Lighter than a full UA parser (no start-up cost, a
 * bounded memo of verdicts), which is all that is needed here: a bot gets the site's default number and no
 * lease. A UA that hides it is left to the Redis rate limits.
 */
public final class BotDetector {

    static final String LIST = "/vendor/crawler-user-agents/crawler-user-agents.json";
    /** The list's plain-text patterns (case as listed, as its own tests match them). */
    private static final Trie LITERALS;
    /** The list's regular expressions, as one alternation. */
    private static final Pattern REGEXES;

    static {
        List<String> literals = new ArrayList<>();
        List<String> regexes = new ArrayList<>();
        for (String pattern : listPatterns()) {
            String plain = pattern.replaceAll("\\\\([^A-Za-z0-9])", "$1");
            boolean literal = !pattern.replaceAll("\\\\[^A-Za-z0-9]", "").matches(".*[\\^$.*+?()\\[\\]{}|\\\\].*");
            if (literal) {
                literals.add(plain);
            } else {
                try {
                    Pattern.compile(pattern);
                    regexes.add("(?:" + pattern + ")");
                } catch (PatternSyntaxException e) {
                    // a pattern Java's regex dialect does not take: the generic rules below still apply
                }
            }
        }
        LITERALS = Trie.builder().addKeywords(literals).stopOnHit().build();
        REGEXES = Pattern.compile(String.join("|", regexes));
    }

    static List<String> listPatterns() {
        try (InputStream in = BotDetector.class.getResourceAsStream(LIST)) {
            List<String> out = new ArrayList<>();
            for (JsonNode entry : new ObjectMapper().readTree(in)) {
                out.add(entry.get("pattern").asText());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + LIST, e);
        }
    }

    private static final Pattern ENGINE = Pattern.compile("AppleWebKit/|Gecko/|Presto/|Trident/");
    /** "bot" as the end of a word (Googlebot, bingbot, YandexBot) but not the CUBOT phone brand. */
    private static final Pattern BOT_WORD = Pattern.compile("(?<!cu)bot\\b|\\bbot\\b|crawl|spider|slurp|agent\\b");
    /** Words of programs and tools; "http://", "www." and the like: a URL in the UA is a bot's contact page. */
    private static final List<String> TOKENS = List.of(
            "http://", "https://", "www.", "headless", "collector", "archive", "thumbnail", "fetch", "gzip(gfe)",
            "lighthouse", "pagespeed", "gtmetrix", "pingdom", "uptimerobot", "statuscake", "python-requests",
            "python-urllib", "aiohttp", "httpx", "curl/", "wget/", "go-http-client", "okhttp", "java/",
            "java-http-client", "apache-httpclient", "axios/", "undici", "libwww", "lwp-", "scrapy", "phantomjs",
            "facebookexternalhit", "facebookcatalog", "whatsapp/", "telegrambot", "skypeuripreview", "embedly",
            "preview", "mediapartners", "adsbot", "apis-google", "google-inspectiontool", "semrush", "ahrefs", "mj12",
            "dotbot", "petalbot", "bytespider", "gptbot", "claudebot", "ccbot", "ptst/", "zgrab", "masscan", "nmap",
            "nuclei", "postmanruntime", "insomnia", "httpie", "wrk", "k6/", "jmeter");

    /**
     * Verdicts by User-Agent: a site's visitors send a few thousand distinct ones, and matching one cost more
     * than anything else a session request does in Java (a tenth of its time). Browsers' UAs are 100-300
     * characters; longer ones are matched every time rather than let them fill the heap.
     */
    private static final Memo<String, Boolean> VERDICTS = new Memo<>(20_000, BotDetector::announcesBot);
    private static final int LONGEST_REMEMBERED = 512;

    private BotDetector() {
    }

    public static boolean isBot(String userAgent) {
        if (userAgent == null || userAgent.isBlank() || userAgent.length() < 12) {
            return true;
        }
        return userAgent.length() <= LONGEST_REMEMBERED ? VERDICTS.get(userAgent) : announcesBot(userAgent);
    }

    private static boolean announcesBot(String userAgent) {
        // Browsers announce themselves as Mozilla/ (Presto-era Opera as Opera/), and app WebViews that put their
        // own name first still name their engine; a UA with neither is a program: feed reader, fetcher, monitor, tool
        if (!userAgent.startsWith("Mozilla/") && !userAgent.startsWith("Opera/") && !ENGINE.matcher(userAgent).find()) {
            return true;
        }
        if (LITERALS.firstMatch(userAgent) != null || REGEXES.matcher(userAgent).find()) {
            return true;
        }
        String ua = userAgent.toLowerCase(Locale.ROOT);
        if (BOT_WORD.matcher(ua).find()) {
            return true;
        }
        for (String token : TOKENS) {
            if (ua.contains(token)) {
                return true;
            }
        }
        return false;
    }
}
