package io.calltrack.session;

/**
 * Where a visit came from, in web-analytics terms (source / medium / campaign / keyword), plus the
 * fields pool rules can match on.
 */
public record TrafficSource(String source, String medium, String campaign, String content, String keyword,
                            String referrerDomain, String landingPath, String gclid, String yclid, String fbclid,
                            String msclkid, String ttclid) {

    /** The value of a field named in a pool's match rule, or null. */
    public String field(String name) {
        return switch (name) {
            case "source" -> source;
            case "medium" -> medium;
            case "campaign" -> campaign;
            case "keyword" -> keyword;
            case "referrerDomain" -> referrerDomain;
            case "landingPath" -> landingPath;
            default -> null;
        };
    }
}
