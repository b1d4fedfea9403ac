package io.calltrack.web;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Visits every schema of the document (components, their properties and items, parameters, bodies) to put the
 * java.time types inline. The scanner makes them components named Instant, Duration and LocalDate, referenced
 * with a sibling "type": generated clients then warn ("Type(s) cleared") and must rename the Java class names
 * (ModelLocalDate). Inline, each is a string with its format, as a client generator maps it to its own type.
 */
final class SchemaWalk {

    private static final Map<String, String> JAVA_TIME = Map.of(
            "#/components/schemas/Instant", "date-time",
            "#/components/schemas/Duration", "duration",
            "#/components/schemas/LocalDate", "date");
    private static final Map<String, String> EXAMPLES = Map.of(
            "date-time", "2026-11-23T10:15:30Z", "duration", "PT15M", "date", "2026-11-23");

    private static final Pattern SAYS_NULL = Pattern.compile("\\bnull\\b");

    private SchemaWalk() {
    }

    static void inlineJavaTime(OpenAPI api) {
        forEachSchema(api, SchemaWalk::inline);
        if (api.getComponents().getSchemas() != null) {
            List.of("Instant", "Duration", "LocalDate").forEach(api.getComponents()::removeSchema);
        }
    }

    /**
     * Every property whose description says when it is null is declared nullable (type plus "null", or for a
     * reference anyOf it and null), so the document and generated clients say what the prose says.
     */
    static void nullableWhereSaid(OpenAPI api) {
        if (api.getComponents() == null || api.getComponents().getSchemas() == null) {
            return;
        }
        api.getComponents().getSchemas().values().forEach(model -> {
            if (model.getProperties() != null) {
                model.getProperties().values().forEach(SchemaWalk::nullableIfSaid);
            }
        });
    }

    private static void nullableIfSaid(Schema p) {
        if (p.getDescription() == null || !SAYS_NULL.matcher(p.getDescription()).find()
                || (p.getType() != null && p.getType().contains(Schema.SchemaType.NULL)) || p.getAnyOf() != null) {
            return;
        }
        if (p.getRef() != null) {
            String ref = p.getRef();
            p.setRef(null);
            p.setAnyOf(List.of(OASFactory.createSchema().ref(ref), OASFactory.createSchema().addType(Schema.SchemaType.NULL)));
        } else if (p.getType() != null) {
            List<Schema.SchemaType> types = new ArrayList<>(p.getType());
            types.add(Schema.SchemaType.NULL);
            p.setType(types);
        }
    }

    /** A java.time reference made inline; any other reference loses the sibling type the scanner gave it. */
    private static void inline(Schema schema) {
        String ref = schema.getRef();
        if (ref == null) {
            return;
        }
        String format = JAVA_TIME.get(ref);
        if (format == null) {
            schema.setType(null);
            return;
        }
        schema.setRef(null);
        boolean nullable = schema.getType() != null && schema.getType().contains(Schema.SchemaType.NULL);
        schema.setType(nullable ? List.of(Schema.SchemaType.STRING, Schema.SchemaType.NULL) : List.of(Schema.SchemaType.STRING));
        schema.setFormat(format);
        if (schema.getExamples() == null || schema.getExamples().isEmpty()) {
            schema.setExamples(List.of(EXAMPLES.get(format)));
        }
    }

    /** Calls {@code action} on every schema in the document, nested ones included. */
    static void forEachSchema(OpenAPI api, Consumer<Schema> action) {
        List<Schema> roots = new ArrayList<>();
        if (api.getComponents() != null && api.getComponents().getSchemas() != null) {
            roots.addAll(api.getComponents().getSchemas().values());
        }
        if (api.getPaths() != null && api.getPaths().getPathItems() != null) {
            api.getPaths().getPathItems().values().forEach(item -> item.getOperations().values().forEach(op -> {
                if (op.getParameters() != null) {
                    op.getParameters().forEach(p -> add(roots, p.getSchema()));
                }
                if (op.getRequestBody() != null) {
                    content(roots, op.getRequestBody().getContent());
                }
                if (op.getResponses() != null && op.getResponses().getAPIResponses() != null) {
                    op.getResponses().getAPIResponses().values().forEach(r -> content(roots, r.getContent()));
                }
            }));
        }
        roots.forEach(s -> walk(s, action));
    }

    private static void content(List<Schema> roots, Content content) {
        if (content != null && content.getMediaTypes() != null) {
            content.getMediaTypes().values().forEach(m -> add(roots, m.getSchema()));
        }
    }

    private static void add(List<Schema> roots, Schema schema) {
        if (schema != null) {
            roots.add(schema);
        }
    }

    private static void walk(Schema schema, Consumer<Schema> action) {
        action.accept(schema);
        if (schema.getProperties() != null) {
            schema.getProperties().values().forEach(p -> walk(p, action));
        }
        if (schema.getItems() != null) {
            walk(schema.getItems(), action);
        }
        if (schema.getAdditionalPropertiesSchema() != null) {
            walk(schema.getAdditionalPropertiesSchema(), action);
        }
        for (List<Schema> group : java.util.Arrays.asList(schema.getAllOf(), schema.getAnyOf(), schema.getOneOf())) {
            if (group != null) {
                group.forEach(s -> walk(s, action));
            }
        }
    }
}
