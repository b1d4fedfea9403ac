package io.calltrack.web;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

import java.util.List;

/**
 * What the API documentation says about keys and errors, in one place rather than on every resource: the
 * Bearer scheme, that every operation but the visitors' ones (snippet and sessions) needs it, the 401/403
 * problems that {@code ApiKeyFilter} answers for all of them, and the problem+json body of every error.
 */
@OpenApiFilter
public class ApiDocs implements OASFilter {

    static final String SCHEME = "apiKey";
    private static final List<String> PUBLIC = List.of("/s/", "/v1/sessions");

    @Override
    public void filterOpenAPI(OpenAPI api) {
        api.getComponents().addSecurityScheme(SCHEME, OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.HTTP).scheme("bearer")
                .description("An API key (POST /v1/admin/keys): Authorization: Bearer ct_..."));
        api.setServers(List.of(server()));
        if (api.getPaths() == null || api.getPaths().getPathItems() == null) {
            return;
        }
        SchemaWalk.inlineJavaTime(api);
        SchemaWalk.nullableWhereSaid(api);
        api.getPaths().getPathItems().forEach((path, item) -> item.getOperations().values().forEach(op -> {
            if (PUBLIC.stream().anyMatch(path::startsWith)) {
                op.setSecurity(List.of()); // served without a key
            } else {
                secure(op);
            }
            problemBodies(op);
        }));
    }

    /**
     * The public URL when one is configured, so generated clients default to it; else the service the document
     * was fetched from, relative, with how to point a client at it.
     */
    private static org.eclipse.microprofile.openapi.models.servers.Server server() {
        return ConfigProvider.getConfig().getOptionalValue("calltrack.public-url", String.class)
                .map(url -> OASFactory.createServer().url(url.replaceAll("/+$", "")).description("This Calltrack service"))
                .orElseGet(() -> OASFactory.createServer().url("/").description("The service this document was read from. "
                        + "A generated client needs its base URL: e.g. Java (native) new ApiClient().updateBaseUri("
                        + "\"https://calltrack.example.com\"); set calltrack.public-url to have it named here"));
    }

    private static void secure(Operation op) {
        op.setSecurity(List.of(OASFactory.createSecurityRequirement().addScheme(SCHEME)));
        APIResponses responses = op.getResponses();
        if (!responses.hasAPIResponse("401")) {
            responses.addAPIResponse("401", problem("No API key, or an unknown or revoked one"));
        }
        if (!responses.hasAPIResponse("403")) {
            responses.addAPIResponse("403", problem("The key's role (read, write, admin) is too low for this"));
        }
    }

    /** Every error is problem+json (see ProblemMappers): resources document the status, this adds the body. */
    private static void problemBodies(Operation op) {
        if (op.getResponses() == null || op.getResponses().getAPIResponses() == null) {
            return;
        }
        op.getResponses().getAPIResponses().forEach((status, response) -> {
            if ((status.startsWith("4") || status.startsWith("5")) && response.getContent() == null) {
                response.setContent(problem(response.getDescription()).getContent());
            }
        });
    }

    private static org.eclipse.microprofile.openapi.models.responses.APIResponse problem(String description) {
        return OASFactory.createAPIResponse().description(description).content(OASFactory.createContent()
                .addMediaType(Problem.MEDIA_TYPE, OASFactory.createMediaType()
                        .schema(OASFactory.createSchema().ref("Problem"))));
    }
}
