package io.calltrack.config;

import io.calltrack.web.ApiException;
import io.calltrack.web.Problem;

import java.util.List;
import java.util.stream.Collectors;

/**
 * number-pool.yaml was rejected; the running configuration stays as it was. Over the API it is a 422 naming every
 * problem found, each with its path and line.
 */
public class InvalidPoolFileException extends ApiException {

    private final transient List<ConfigProblem> problems;

    public InvalidPoolFileException(List<ConfigProblem> problems) {
        super(422, "invalid-config", "Invalid number-pool.yaml", "number-pool.yaml is invalid:\n  "
                + problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n  ")), null);
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }

    @Override
    protected Problem toProblem() {
        var errors = problems.stream()
                .map(p -> new Problem.FieldError(p.path(), p.line() > 0 ? p.line() : null, p.message()))
                .toList();
        String detail = "number-pool.yaml was rejected and the running configuration is unchanged: "
                + problems.stream().map(Object::toString).collect(Collectors.joining("; "));
        Problem base = super.toProblem();
        return new Problem(base.type(), base.title(), base.status(), detail, errors.isEmpty() ? null : errors.get(0).path(), errors);
    }
}
