package io.calltrack.session;

import io.calltrack.auth.Public;
import io.calltrack.config.ActiveConfig;
import io.calltrack.web.ApiException;
import io.calltrack.web.Text;
import io.calltrack.config.SiteSpec;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Serves the number-swap script a site embeds: {@code <script async src=".../s/SITEKEY.js"></script>}. */
@Path("/s")
@Public
@Tag(name = "Sessions (public)")
public class SnippetResource {

    static final String JAVASCRIPT = "text/javascript; charset=utf-8";

    private final ActiveConfig config;
    private final SnippetBuilder builder;
    private final Optional<String> publicUrl;

    private final Set<String> hosts;

    SnippetResource(ActiveConfig config, SnippetBuilder builder,
                    @ConfigProperty(name = "calltrack.public-url") Optional<String> publicUrl,
                    @ConfigProperty(name = "calltrack.hosts") Optional<List<String>> hosts) {
        this.config = config;
        this.builder = builder;
        this.publicUrl = publicUrl;
        this.hosts = hosts.orElse(List.of()).stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    /**
     * Without calltrack.public-url the script names the host it was asked at. Only this machine's own names and
     * those listed in calltrack.hosts are taken: the script is cached (here and by browsers and proxies, as
     * public), so a forged Host would otherwise be served to every visitor, and every new one would grow the cache.
     */
    private String requestBase(UriInfo uri) {
        String host = uri.getBaseUri().getHost();
        String name = host == null ? "" : host.toLowerCase(Locale.ROOT);
        boolean own = name.equals("localhost") || name.equals("127.0.0.1") || name.equals("[::1]") || name.equals("::1");
        String withPort = uri.getBaseUri().getPort() < 0 ? name : name + ":" + uri.getBaseUri().getPort();
        if (!own && !hosts.contains(name) && !hosts.contains(withPort)) {
            throw new ApiException(400, "unknown-host", "Unknown host", "this service is not configured for host '"
                    + Text.printable(name) + "': set calltrack.public-url (or list the host in calltrack.hosts)", "Host");
        }
        return uri.getBaseUri().toString();
    }

    @GET
    @Path("/{script}")
    @Produces(JAVASCRIPT)
    @Operation(operationId = "getSnippet", summary = "The site's number-swap script, its settings inlined",
            description = "What the embed code loads: JavaScript, not JSON (a browser's, not a client's, to read). Cached for 5 minutes; ETag.")
    @APIResponse(responseCode = "200", description = "The script (cacheable; ETag)")
    @APIResponse(responseCode = "304", description = "Not modified since the ETag given")
    @APIResponse(responseCode = "400", description = "Asked at a host the service is not configured for (calltrack.public-url, calltrack.hosts)")
    @APIResponse(responseCode = "404", description = "Unknown site: a script that does nothing, so the page never sees an error")
    public RestResponse<String> script(@Parameter(description = "the site key and .js, as the embed code names it", example = "demo.js") @PathParam("script") String file, @HeaderParam("If-None-Match") String ifNoneMatch,
                                       @Context UriInfo uri) {
        String siteKey = file.endsWith(".js") ? file.substring(0, file.length() - 3) : file;
        Optional<SiteSpec> site = config.site(siteKey);
        if (site.isEmpty()) {
            return RestResponse.ResponseBuilder.create(RestResponse.Status.NOT_FOUND, "/* calltrack: no such site */\n")
                    .type(JAVASCRIPT).header("Cache-Control", "no-store").build();
        }
        String api = publicUrl.orElseGet(() -> requestBase(uri)).replaceAll("/+$", "");
        SnippetBuilder.Script script = builder.script(site.get(), api);
        if (script.etag().equals(ifNoneMatch)) {
            return RestResponse.ResponseBuilder.<String>create(RestResponse.Status.NOT_MODIFIED).header("ETag", script.etag()).build();
        }
        return RestResponse.ResponseBuilder.ok(script.text()).type(JAVASCRIPT)
                .header("ETag", script.etag())
                .header("Cache-Control", "public, max-age=300")
                .header("Timing-Allow-Origin", "*")
                .build();
    }
}
