package io.calltrack.config;

import java.util.List;
import java.util.stream.Collectors;

/** number-pool.yaml was rejected; the running configuration stays as it was. */
public class InvalidPoolFileException extends RuntimeException {

    private final transient List<ConfigProblem> problems;

    public InvalidPoolFileException(List<ConfigProblem> problems) {
        super("number-pool.yaml is invalid:\n  " + problems.stream().map(ConfigProblem::toString)
                .collect(Collectors.joining("\n  ")));
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }
}
