package io.calltrack.config;

/**
 * One thing wrong in number-pool.yaml.
 *
 * @param path  where, as a path into the document ({@code sites[0].pools[2].numbers[5]})
 * @param line  1-based line in the file (0 when unknown)
 */
public record ConfigProblem(String path, int line, String message) {

    @Override
    public String toString() {
        return (line > 0 ? "line " + line + ": " : "") + path + ": " + message;
    }
}
