package io.calltrack.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Which sessions a pool serves: every listed field must match one of its patterns (case-insensitive,
 * {@code *} as wildcard). An empty rule matches everything (a catch-all pool).
 */
public record MatchRule(Map<String, List<String>> conditions) {

    public static final List<String> FIELDS =
            List.of("source", "medium", "campaign", "keyword", "referrerDomain", "landingPath");

    public boolean isCatchAll() {
        return conditions.isEmpty();
    }

    /** @param field gives a session's value for a field name of {@link #FIELDS} (null when absent) */
    public boolean matches(Function<String, String> field) {
        for (Map.Entry<String, List<String>> condition : conditions.entrySet()) {
            String value = field.apply(condition.getKey());
            if (value == null || condition.getValue().stream().noneMatch(p -> glob(p, value))) {
                return false;
            }
        }
        return true;
    }

    static boolean glob(String pattern, String value) {
        String p = pattern.toLowerCase(Locale.ROOT);
        String v = value.toLowerCase(Locale.ROOT);
        if (!p.contains("*")) {
            return p.equals(v);
        }
        String[] parts = p.split("\\*", -1);
        if (!v.startsWith(parts[0])) {
            return false;
        }
        int at = parts[0].length();
        for (int i = 1; i < parts.length - 1; i++) {
            int found = v.indexOf(parts[i], at);
            if (found < 0) {
                return false;
            }
            at = found + parts[i].length();
        }
        String last = parts[parts.length - 1];
        return v.length() - at >= last.length() && v.endsWith(last);
    }
}
