package io.calltrack.session;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.Map;

/** What the number-swap script sends when a visit starts. */
@JsonIgnoreProperties(ignoreUnknown = true)
@Schema(name = "SessionRequest", description = "A visit starting on a site; sent as text/plain JSON (no CORS preflight)")
public record SessionRequest(
        @Schema(required = true, examples = "demo") String siteKey,
        @Schema(required = true, description = "first-party visitor id kept by the script (8-64 of A-Z a-z 0-9 _ -)",
                examples = "k3J9x0qPZr2Lw8VbN1cT4a") String visitorId,
        @Schema(required = true, description = "landing page URL with its query (utm_*, gclid, yclid, fbclid)",
                examples = "https://demo.example/?utm_source=google&utm_medium=cpc&utm_term=plumber") String url,
        @Schema(description = "document.referrer", examples = "https://www.google.com/") String referrer,
        @Schema(description = "page title", examples = "Emergency plumber in Moscow | Demo Plumbing") String title,
        @Schema(description = "Google Analytics client id from the _ga cookie", examples = "1234567890.1700000000") String gaClientId,
        @Schema(description = "per printed number (E.164), the substitute this browser held last, to get it back if still free")
        Map<String, String> previous) {
}
