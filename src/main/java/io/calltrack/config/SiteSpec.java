package io.calltrack.config;

import java.time.ZoneId;
import java.util.List;

/**
 * One website: the domains allowed to embed its script, the numbers printed on its pages (as written
 * there, so the script can mirror the format) and its ordered pools; the first matching pool wins. Its time
 * zone is where its days begin in reports.
 */
public record SiteSpec(
        String key,
        String name,
        String region,
        ZoneId timezone,
        List<String> domains,
        List<PrintedNumber> printedNumbers,
        String defaultNumber,
        List<PoolSpec> pools) {

    /** A number as printed on the site and its E.164 form. */
    public record PrintedNumber(String printed, String e164) {
    }

    public PoolSpec pool(String id) {
        return pools.stream().filter(p -> p.id().equals(id)).findFirst().orElse(null);
    }
}
