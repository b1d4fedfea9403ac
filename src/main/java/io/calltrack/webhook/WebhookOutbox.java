package io.calltrack.webhook;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * The transactional outbox: SQL that, as part of the very statement that changes a call, queues a delivery
 * for each event that change raises and each active subscription of the call's site to it. A call change
 * and its webhooks therefore commit together or not at all.
 */
public final class WebhookOutbox {

    private WebhookOutbox() {
    }

    /**
     * An INSERT to run as a data-modifying CTE after {@code rows}, a CTE of changed calls (with id and
     * site_key): {@code events} maps each event name to the SQL condition, over the row alias {@code r}, that
     * says it happened.
     */
    public static String deliveries(String rows, Map<String, String> events) {
        String values = events.entrySet().stream()
                .map(e -> "('" + e.getKey() + "', " + e.getValue() + ")")
                .collect(Collectors.joining(", "));
        return "INSERT INTO webhook_deliveries (webhook_id, event, call_id) "
                + "SELECT w.id, e.event, r.id FROM " + rows + " r "
                + "JOIN webhooks w ON w.site_key = r.site_key AND w.active "
                + "CROSS JOIN LATERAL (VALUES " + values + ") AS e(event, happened) "
                + "WHERE e.happened AND e.event = ANY (w.events)";
    }
}
