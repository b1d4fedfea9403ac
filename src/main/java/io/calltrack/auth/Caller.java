package io.calltrack.auth;

import io.calltrack.web.ApiException;
import jakarta.enterprise.context.RequestScoped;

/**
 * The API key a request came with, set by {@link ApiKeyFilter}. Resources ask it which site's data the
 * request may see: another site's call, pool or webhook is "not found", so a key cannot even learn that it
 * exists.
 */
@RequestScoped
public class Caller {

    private ApiKey key;

    void authenticate(ApiKey key) {
        this.key = key;
    }

    public ApiKey key() {
        return key;
    }

    /** The site this caller is limited to, or null for every site. */
    public String site() {
        return key == null ? null : key.site();
    }

    public boolean sees(String site) {
        return key != null && (key.allSites() || key.site().equals(site));
    }

    /** The site a write is for: the key's own when it is limited to one, else the one named in the request. */
    public String siteFor(String requested, String field) {
        if (key != null && !key.allSites()) {
            return ownSite(requested, field);
        }
        if (requested == null || requested.isBlank()) {
            throw ApiException.badField(field, field + " is required");
        }
        return requested;
    }

    /** The site a read is limited to (null: every site): the one asked for, and a key's own is the only one it may ask for. */
    public String siteToRead(String requested) {
        String asked = requested == null || requested.isBlank() ? null : requested;
        return key == null || key.allSites() ? asked : ownSite(asked, "site");
    }

    /** A key limited to one site names only that one: any other is as absent as a site that does not exist. */
    private String ownSite(String requested, String field) {
        if (requested != null && !requested.equals(key.site())) {
            throw new ApiException(404, "not-found", "Not found", "no site '" + requested + "'", field);
        }
        return key.site();
    }

    /** For what only a key for every site may do, such as reloading the whole configuration. */
    public void requireAllSites() {
        if (key == null || !key.allSites()) {
            throw new ApiException(403, "forbidden", "Forbidden", "this needs a key for every site, not one limited to '"
                    + site() + "'", null);
        }
    }
}
