package io.calltrack.config;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A YAML node with its path in the document and its line, so every complaint can say exactly where.
 * A missing key is a node too ({@link #isMissing()}), which keeps the parser free of null checks.
 */
final class YamlNode {

    private final Node node;
    private final String path;
    private final int line;
    private final List<ConfigProblem> problems;

    YamlNode(Node node, String path, int line, List<ConfigProblem> problems) {
        this.node = node;
        this.path = path;
        this.line = node != null ? node.getStartMark().getLine() + 1 : line;
        this.problems = problems;
    }

    String path() {
        return path;
    }

    int line() {
        return line;
    }

    boolean isMissing() {
        return node == null || Tag.NULL.equals(node.getTag());
    }

    void problem(String message) {
        problems.add(new ConfigProblem(path, line, message));
    }

    /** The node of a key this mapping lacks: missing, at the mapping's line, so a complaint about it says where. */
    YamlNode absent(String key) {
        return new YamlNode(null, join(key), line, problems);
    }

    /** The entries of a mapping; unknown keys are reported, so a typo never passes silently. */
    Map<String, YamlNode> fields(Set<String> allowed) {
        Map<String, YamlNode> out = new LinkedHashMap<>();
        if (isMissing()) {
            return out;
        }
        if (!(node instanceof MappingNode mapping)) {
            problem("must be a mapping of key: value");
            return out;
        }
        for (NodeTuple tuple : mapping.getValue()) {
            String key = tuple.getKeyNode() instanceof ScalarNode s ? s.getValue() : "?";
            YamlNode child = new YamlNode(tuple.getValueNode(), join(key), line, problems);
            if (allowed != null && !allowed.contains(key)) {
                new YamlNode(tuple.getKeyNode(), join(key), line, problems)
                        .problem("unknown field; allowed: " + String.join(", ", allowed));
                continue;
            }
            out.put(key, child);
        }
        return out;
    }

    /** Items of a sequence; a single scalar is read as a one-item list for convenience. */
    List<YamlNode> items() {
        List<YamlNode> out = new ArrayList<>();
        if (isMissing()) {
            return out;
        }
        if (node instanceof ScalarNode) {
            out.add(new YamlNode(node, path + "[0]", line, problems));
        } else if (node instanceof SequenceNode sequence) {
            for (int i = 0; i < sequence.getValue().size(); i++) {
                out.add(new YamlNode(sequence.getValue().get(i), path + "[" + i + "]", line, problems));
            }
        } else {
            problem("must be a list");
        }
        return out;
    }

    /** A scalar's text, or null (reported) when it is not a scalar. */
    String text() {
        if (isMissing()) {
            return null;
        }
        if (node instanceof ScalarNode scalar) {
            return scalar.getValue().strip();
        }
        problem("must be a single value, not a list or mapping");
        return null;
    }

    private String join(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
