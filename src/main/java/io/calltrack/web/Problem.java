package io.calltrack.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** RFC 9457 problem details, the body of every error this service returns. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Problem", description = "RFC 9457 problem details")
public record Problem(
        @Schema(description = "URI naming the problem type", examples = "https://calltrack.io/problems/invalid-field") String type,
        @Schema(description = "short summary of the problem type", examples = "Invalid field") String title,
        @Schema(description = "HTTP status", examples = "400") int status,
        @Schema(description = "what went wrong in this request", examples = "visitorId must not be empty") String detail,
        @Schema(description = "the request field at fault, when one is", examples = "visitorId") String field,
        @Schema(description = "every problem found, for requests validated as a whole") List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    static final String TYPE_BASE = "https://calltrack.io/problems/";

    /** One problem in a document validated as a whole. */
    public record FieldError(@Schema(examples = "sites[0].region") String path, @Schema(examples = "5") Integer line,
                             @Schema(examples = "'XX' is not a known ISO 3166 region code (e.g. US, GB, RU)") String message) {
    }

    public static Problem of(int status, String slug, String title, String detail) {
        return new Problem(TYPE_BASE + slug, title, status, detail, null, null);
    }
}
