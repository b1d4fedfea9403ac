package io.calltrack.web;

/**
 * What PostgreSQL text can hold: any Unicode but U+0000 (its text types refuse the NUL character outright,
 * and a statement carrying one fails as a whole). Input from outside is refused or cleaned of it at the edge.
 */
public final class Text {

    private Text() {
    }

    /** Why the value cannot be stored as it is, or null when it can. */
    public static String unstorable(String value) {
        return value != null && value.indexOf('\0') >= 0
                ? "contains a NUL character (U+0000), which cannot be stored" : null;
    }

    /** The value without NUL characters: for input that is recorded as the visitor sent it, not refused. */
    public static String storable(String value) {
        return value == null || value.indexOf('\0') < 0 ? value : value.replace("\0", "");
    }

    /** The value as safe to echo in an error message: control characters escaped, at most 64 characters. */
    public static String printable(String value) {
        if (value == null) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length() && out.length() < 64; i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
