package io.calltrack.call;

import io.vertx.mutiny.sqlclient.Row;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** A call row as a CSV line (RFC 4180), safe to open in a spreadsheet. */
final class CallCsv {

    /** Columns, in order; text columns hold what visitors' URLs and PBXes sent, so they are defused. */
    private static final List<String> COLUMNS = List.of("id", "started_at", "answered_at", "ended_at", "disposition",
            "did", "caller", "caller_name", "ring_seconds", "talk_seconds", "extension", "repeat_caller", "first_call_id",
            "site_key", "pool_id", "attribution_method", "confidence", "source", "medium", "campaign", "keyword",
            "landing_url", "referrer", "gclid", "yclid", "fbclid", "ga_client_id", "outcome_status", "outcome_value",
            "outcome_currency", "outcome_deal_id", "pbx", "linkedid", "incomplete", "visitor_id", "content", "msclkid", "ttclid",
            "probability", "outcome_lost_reason", "probability_revise_at");

    static final String HEADER = String.join(",", COLUMNS) + "\r\n";

    private CallCsv() {
    }

    static void append(StringBuilder out, Row r) {
        for (int i = 0; i < COLUMNS.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            Object v = r.getValue(COLUMNS.get(i));
            if (v instanceof OffsetDateTime t) {
                out.append(t.withOffsetSameInstant(ZoneOffset.UTC).toInstant());
            } else if (v != null) {
                field(out, v.toString());
            }
        }
        out.append("\r\n");
    }

    private static void field(StringBuilder out, String value) {
        // a cell starting with = + - @ (or a tab/CR) runs as a formula in Excel and LibreOffice: CSV injection.
        // E.164 numbers start with + but are digits only, which no spreadsheet evaluates, so they stay as sent.
        boolean formula = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 && !value.matches("\\+\\d+");
        String text = formula ? "'" + value : value;
        if (text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            out.append('"').append(text.replace("\"", "\"\"")).append('"');
        } else {
            out.append(text);
        }
    }
}
