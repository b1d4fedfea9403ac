package io.calltrack.config;

import io.calltrack.phone.PhoneNumbers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The values number-pool.yaml holds (text, phone numbers and ranges, durations, whole numbers, shares, choices, time
 * zones), each read from a node that reports what is wrong with it, at its path and line, and answers a fallback.
 */
final class YamlScalars {

    static final int MAX_RANGE = 100_000;
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private YamlScalars() {
    }

    /** An IANA time zone (UTC when the field is absent). */
    static java.time.ZoneId zone(YamlNode node) {
        String tz = text(node, "UTC");
        try {
            return java.time.ZoneId.of(tz);
        } catch (java.time.DateTimeException e) {
            node.problem("'" + tz + "' is not a time zone (e.g. Europe/Moscow, UTC)");
            return java.time.ZoneOffset.UTC;
        }
    }

    /** A field's text; when it is absent or empty, the complaint is at the field (or its mapping when absent). */
    static String required(Map<String, YamlNode> fields, YamlNode parent, String name) {
        YamlNode node = fields.get(name);
        String value = node == null ? null : node.text();
        if (value == null || value.isEmpty()) {
            (node == null ? parent : node).problem(name + " is required");
            return null;
        }
        return value;
    }

    static String text(YamlNode node, String fallback) {
        String value = node == null ? null : node.text();
        return value == null || value.isEmpty() ? fallback : value;
    }

    static String number(YamlNode node, String region) {
        String raw = node.text();
        if (raw == null) {
            return null;
        }
        if (region == null) {
            return null; // already reported on the site's region
        }
        return PhoneNumbers.toE164(raw, region).orElseGet(() -> {
            node.problem("'" + raw + "' is not a valid phone number in region " + region);
            return null;
        });
    }

    static List<String> numberOrRange(YamlNode node, String region) {
        String raw = node.text();
        if (raw == null || !raw.contains("..")) {
            String one = number(node, region);
            return one == null ? List.of() : List.of(one);
        }
        String[] ends = raw.split("\\.\\.", 2);
        String from = region == null ? null : PhoneNumbers.toE164(ends[0], region).orElse(null);
        String to = region == null ? null : PhoneNumbers.toE164(ends[1], region).orElse(null);
        if (from == null || to == null) {
            if (region != null) {
                node.problem("'" + raw + "' is not a range of two valid phone numbers (FIRST..LAST)");
            }
            return List.of();
        }
        long first = Long.parseLong(from.substring(1));
        long last = Long.parseLong(to.substring(1));
        if (from.length() != to.length() || last < first) {
            node.problem("range must run upwards between numbers of the same length");
            return List.of();
        }
        if (last - first + 1 > MAX_RANGE) {
            node.problem("range holds " + (last - first + 1) + " numbers; at most " + MAX_RANGE + " per range");
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (long n = first; n <= last; n++) {
            out.add("+" + n);
        }
        return out;
    }

    static Duration duration(YamlNode node, Duration fallback) {
        String raw = node == null ? null : node.text();
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        Duration parsed = parseDuration(raw);
        if (parsed == null) {
            node.problem("'" + raw + "' is not a duration (e.g. 90s, 15m, 24h, 2d, 1h30m)");
            return fallback;
        }
        return parsed;
    }

    /** "90s", "15m", "1h30m", "2d" or ISO-8601 ("PT15M"); null when unreadable or negative. */
    static Duration parseDuration(String raw) {
        String text = raw.strip().toLowerCase(Locale.ROOT);
        if (text.startsWith("p")) {
            try {
                Duration d = Duration.parse(text.toUpperCase(Locale.ROOT));
                return d.isNegative() ? null : d;
            } catch (java.time.format.DateTimeParseException e) {
                return null;
            }
        }
        Matcher m = DURATION_PART.matcher(text);
        Duration total = Duration.ZERO;
        int at = 0;
        while (m.find() && m.start() == at) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
            at = m.end();
        }
        return at == text.length() && at > 0 ? total : null;
    }

    static int integer(YamlNode node, int fallback, int min, int max) {
        String raw = node == null ? null : node.text();
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        node.problem("'" + raw + "' must be a whole number from " + min + " to " + max);
        return fallback;
    }

    static double fraction(YamlNode node, double fallback) {
        String raw = node == null ? null : node.text();
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        try {
            double value = raw.endsWith("%") ? Double.parseDouble(raw.substring(0, raw.length() - 1)) / 100
                    : Double.parseDouble(raw);
            if (value > 0 && value <= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        node.problem("'" + raw + "' must be a share between 0 and 1 (or a percentage like 99%)");
        return fallback;
    }

    static <E extends Enum<E>> E enumValue(YamlNode node, Class<E> type, E fallback) {
        String raw = node == null ? null : node.text();
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        String name = raw.toUpperCase(Locale.ROOT).replace('-', '_');
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(name)) {
                return constant;
            }
        }
        List<String> allowed = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            allowed.add(constant.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        node.problem("'" + raw + "' is not one of: " + String.join(", ", allowed));
        return fallback;
    }
}
