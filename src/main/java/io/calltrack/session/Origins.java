package io.calltrack.session;

import io.calltrack.config.SiteSpec;
import io.calltrack.web.ApiException;

import java.net.URI;
import java.util.Locale;

/**
 * Which web origins may call the session API for a site: its configured domains ("example.com" also
 * allows www.example.com; "*.example.com" any subdomain; "localhost:8080" that port only).
 */
final class Origins {

    private Origins() {
    }

    /** Throws 403 when a browser origin is not one of the site's; a request without Origin passes. */
    static void check(SiteSpec site, String origin) {
        if (origin != null && !allowed(site, origin)) {
            throw new ApiException(403, "origin-not-allowed", "Origin not allowed",
                    "origin " + origin + " is not one of the domains of site '" + site.key() + "'", "Origin");
        }
    }

    static boolean allowed(SiteSpec site, String origin) {
        URI uri;
        try {
            uri = URI.create(origin);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (uri.getHost() == null) {
            return false;
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        for (String domain : site.domains()) {
            int colon = domain.lastIndexOf(':');
            String domainHost = colon > 0 ? domain.substring(0, colon) : domain;
            if (colon > 0 && !domain.substring(colon + 1).equals(Integer.toString(uri.getPort()))) {
                continue;
            }
            if (domainHost.startsWith("*.") ? host.endsWith(domainHost.substring(1))
                    : host.equals(domainHost) || host.equals("www." + domainHost)) {
                return true;
            }
        }
        return false;
    }
}
