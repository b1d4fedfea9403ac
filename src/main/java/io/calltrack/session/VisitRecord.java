package io.calltrack.session;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A visit as logged through Redis on its way to the sessions table (short keys: one per session start).
 * Pool and number are filled in from the visit's first lease when it has one.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record VisitRecord(String id, String site, String visitor, String pool, String number, long started,
                   String source, String medium, String campaign, String content, String keyword,
                   String url, String referrer, String gclid, String yclid, String fbclid, String msclkid, String ttclid, String ga,
                   String title, String ua, String ip, boolean bot) {

    VisitRecord withNumber(String poolId, String shown) {
        return new VisitRecord(id, site, visitor, poolId, shown, started, source, medium, campaign, content,
                keyword, url, referrer, gclid, yclid, fbclid, msclkid, ttclid, ga, title, ua, ip, bot);
    }
}
