package io.calltrack.call;

/**
 * Who a call is attributed to, and how sure that is.
 *
 * @param method     LIVE_LEASE (the number's holder at ring time), RECENT_LEASE (its last holder, within the
 *                   pool's late-call window), SHARED_LEASE (several held it: the most recently active),
 *                   STATIC_POOL (a source-level number), UNATTRIBUTED
 * @param confidence  HIGH, MEDIUM, LOW (bands of the probability), SOURCE or null
 * @param probability that the call came from the attributed visit; null when attributed to none or to a source
 */
public record Attribution(String method, String confidence, Double probability, String siteKey, String poolId, String sessionId,
                          String source, String medium, String campaign, String keyword, String landingUrl,
                          String referrer, String gclid, String yclid, String fbclid, String gaClientId,
                          String visitorId, String content, String msclkid, String ttclid) {

    static Attribution unattributed(String siteKey, String poolId) {
        return new Attribution("UNATTRIBUTED", null, null, siteKey, poolId, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null);
    }

    /** As the call log keeps it: four decimals. */
    static double rounded(double probability) {
        return Math.round(probability * 10_000) / 10_000.0;
    }

    /** HIGH from 0.95, MEDIUM from 0.7, LOW below: the labels are bands of the probability. */
    static String band(double probability) {
        return probability >= 0.95 ? "HIGH" : probability >= 0.7 ? "MEDIUM" : "LOW";
    }
}
