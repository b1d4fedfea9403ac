package io.calltrack.session;

import io.calltrack.auth.Public;
import io.calltrack.config.ActiveConfig;
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
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.Optional;

/** Serves the number-swap script a site embeds: {@code <script async src=".../s/SITEKEY.js"></script>}. */
@Path("/s")
@Public
@Tag(name = "Sessions (public)")
public class SnippetResource {

    static final String JAVASCRIPT = "text/javascript; charset=utf-8";

    private final ActiveConfig config;
    private final SnippetBuilder builder;
    private final Optional<String> publicUrl;

    SnippetResource(ActiveConfig config, SnippetBuilder builder,
                    @ConfigProperty(name = "calltrack.public-url") Optional<String> publicUrl) {
        this.config = config;
        this.builder = builder;
        this.publicUrl = publicUrl;
    }

    @GET
    @Path("/{file}")
    @Produces(JAVASCRIPT)
    @Operation(summary = "The site's number-swap script, its settings inlined")
    @APIResponse(responseCode = "200", description = "The script (cacheable; ETag)")
    @APIResponse(responseCode = "304", description = "Not modified since the ETag given")
    @APIResponse(responseCode = "404", description = "Unknown site: a script that does nothing, so the page never sees an error")
    public RestResponse<String> script(@PathParam("file") String file, @HeaderParam("If-None-Match") String ifNoneMatch,
                                       @Context UriInfo uri) {
        String siteKey = file.endsWith(".js") ? file.substring(0, file.length() - 3) : file;
        Optional<SiteSpec> site = config.site(siteKey);
        if (site.isEmpty()) {
            return RestResponse.ResponseBuilder.create(RestResponse.Status.NOT_FOUND, "/* calltrack: no such site */\n")
                    .type(JAVASCRIPT).header("Cache-Control", "no-store").build();
        }
        String api = publicUrl.orElseGet(() -> uri.getBaseUri().toString()).replaceAll("/+$", "");
        SnippetBuilder.Script script = builder.script(site.get(), api);
        if (script.etag().equals(ifNoneMatch)) {
            return RestResponse.ResponseBuilder.<String>create(RestResponse.Status.NOT_MODIFIED).header("ETag", script.etag()).build();
        }
        return RestResponse.ResponseBuilder.ok(script.text()).type(JAVASCRIPT)
                .header("ETag", script.etag())
                .header("Cache-Control", "public, max-age=300")
                .build();
    }
}
