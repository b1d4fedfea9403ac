package io.calltrack.call;

/**
 * Who a call is attributed to, and how sure that is.
 *
 * @param method     LIVE_LEASE (the number's holder at ring time), RECENT_LEASE (its last holder, within the
 *                   pool's late-call window), SHARED_LEASE (several held it: the most recently active),
 *                   STATIC_POOL (a source-level number), UNATTRIBUTED
 * @param confidence HIGH, MEDIUM, LOW, SOURCE or null
 */
public record Attribution(String method, String confidence, String siteKey, String poolId, String sessionId,
                          String source, String medium, String campaign, String keyword, String landingUrl,
                          String referrer, String gclid, String yclid, String fbclid, String gaClientId,
                          String visitorId, String content, String msclkid, String ttclid) {

    static Attribution unattributed(String siteKey, String poolId) {
        return new Attribution("UNATTRIBUTED", null, siteKey, poolId, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null);
    }
}
