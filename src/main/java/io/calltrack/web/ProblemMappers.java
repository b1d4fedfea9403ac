package io.calltrack.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.io.CharConversionException;
import java.util.stream.Collectors;

/** Maps every failure to application/problem+json, once, in one place. No stack trace reaches a client. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @Inject
    Outages outages;

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return respond(e.toProblem());
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        String field = null;
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            field = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
        }
        String detail;
        if (e instanceof JsonText.UnstorableTextException) {
            detail = "field '" + field + "' " + e.getOriginalMessage();
        } else if (field != null) {
            detail = "field '" + field + "' has the wrong type";
        } else if (e instanceof JsonMappingException) {
            detail = "the request body has the wrong shape (e.g. null or a list where an object belongs)";
        } else {
            // a parse error: its own message names the character, never a class; the location says where
            detail = "the request body is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr());
        }
        return respond(new Problem(Problem.TYPE_BASE + "malformed-body", "Malformed request body", 400, detail, field, null));
    }

    /** More specific than Quarkus' own mapper for this type, which answers 400 with no body. */
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        return malformedJson(e);
    }

    /** A body whose bytes are no text in any encoding JSON allows (e.g. starting with NUL bytes). */
    @ServerExceptionMapper
    public Response undecodableBody(CharConversionException e) {
        return respond(new Problem(Problem.TYPE_BASE + "malformed-body", "Malformed request body", 400,
                "the request body is not UTF-8 text", "body", null));
    }

    @ServerExceptionMapper
    public Response invalidParameter(Params.InvalidParameterException e) {
        return respond(ApiException.badField(e.parameter(), e.getMessage()).toProblem());
    }

    @ServerExceptionMapper
    public Response malformedBody(MalformedBodyException e) {
        return malformedJson(e.getCause());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return malformedJson(json);
        }
        if (e.getCause() instanceof CharConversionException chars) {
            return undecodableBody(chars);
        }
        int status = e.getResponse().getStatus();
        String title = Response.Status.fromStatusCode(status) != null
                ? Response.Status.fromStatusCode(status).getReasonPhrase() : "Error";
        if (status >= 500) {
            LOG.error("request failed", e);
            return respond(Problem.of(status, "server-error", title, "the request could not be served"));
        }
        return respond(Problem.of(status, title.toLowerCase().replace(' ', '-'), title, e.getMessage()));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        String down = outages.serviceDown(e);
        if (down != null) {
            outages.report(down, e);
            return Response.status(503).type(Problem.MEDIA_TYPE).header("Retry-After", "5")
                    .entity(Problem.of(503, "service-unavailable", "Service unavailable",
                            down + " is unavailable; nothing was changed by this request, try again shortly")).build();
        }
        LOG.error("unexpected failure", e);
        return respond(Problem.of(500, "server-error", "Internal error", "the request could not be served; it has been logged"));
    }

    public static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
