package io.calltrack.web;

/** A request that cannot be served as asked; becomes a problem+json response with its status. */
public class ApiException extends RuntimeException {

    private final int status;
    private final String slug;
    private final String title;
    private final String field;

    public ApiException(int status, String slug, String title, String detail, String field) {
        super(detail);
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.field = field;
    }

    public static ApiException badField(String field, String detail) {
        return new ApiException(400, "invalid-field", "Invalid field", detail, field);
    }

    public static ApiException notFound(String detail) {
        return new ApiException(404, "not-found", "Not found", detail, null);
    }

    public static ApiException conflict(String detail) {
        return new ApiException(409, "conflict", "Conflict", detail, null);
    }

    /** The response body; an exception that carries more (every problem of a document) says so here. */
    protected Problem toProblem() {
        return new Problem(Problem.TYPE_BASE + slug, title, status, getMessage(), field, null);
    }

    public int status() {
        return status;
    }

    /** The request field at fault, as the problem names it; null when the whole request is. */
    public String field() {
        return field;
    }
}
