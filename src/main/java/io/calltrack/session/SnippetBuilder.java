package io.calltrack.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.calltrack.Resources;
import io.calltrack.config.ConfigApplied;
import io.calltrack.config.PingInterval;
import io.calltrack.config.SiteSpec;
import io.calltrack.phone.PhoneNumbers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds each site's script once (the number-swap script with the site's settings inlined) and keeps it
 * until the configuration changes, so serving it costs a map lookup.
 */
@ApplicationScoped
class SnippetBuilder {

    static final String PLACEHOLDER = "/*CALLTRACK_CONFIG*/null";

    record Script(String text, String etag) {
    }

    private final ObjectMapper json;
    private final PingInterval pings;
    private final Map<String, Script> cache = new ConcurrentHashMap<>();
    private volatile String template;

    SnippetBuilder(ObjectMapper json, PingInterval pings) {
        this.json = json;
        this.pings = pings;
    }

    void onConfigApplied(@ObservesAsync ConfigApplied applied) {
        cache.clear();
    }

    Script script(SiteSpec site, String apiBase) {
        return cache.computeIfAbsent(site.key() + "|" + apiBase, k -> build(site, apiBase));
    }

    private Script build(SiteSpec site, String apiBase) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("siteKey", site.key());
        settings.put("api", apiBase);
        settings.put("numbers", site.printedNumbers().stream().map(p -> Map.of(
                "e164", p.e164(),
                "cc", PhoneNumbers.countryCode(p.e164()),
                "nsn", PhoneNumbers.nationalDigits(p.e164()),
                "trunk", PhoneNumbers.trunkPrefix(p.e164()))).toList());
        settings.put("timeoutMs", 1500);
        settings.put("pingSeconds", pings.most().toMillis() / 1000.0);
        settings.put("sessionMinutes", 30);
        settings.put("hideClass", "calltrack-hide");
        String text;
        try {
            // "</" inside the JSON (a hostile site name, say) must not be able to close a script element early
            text = template().replace(PLACEHOLDER, json.writeValueAsString(settings).replace("</", "<\\/"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return new Script(text, "\"" + Resources.sha1Hex(text) + "\"");
    }

    /**
     * The source as served: without indentation, blank lines and whole-line comments, which are a fifth of it
     * and go out on every first page view. The source keeps them; it has no multi-line strings to break.
     */
    static String served(String source) {
        return source.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("//"))
                .collect(java.util.stream.Collectors.joining("\n", "", "\n"));
    }

    private String template() {
        if (template == null) {
            String text = served(Resources.text("/snippet/calltrack.js"));
            if (!text.contains(PLACEHOLDER)) {
                throw new IllegalStateException("snippet/calltrack.js lacks " + PLACEHOLDER);
            }
            template = text;
        }
        return template;
    }
}
