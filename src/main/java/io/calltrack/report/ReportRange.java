package io.calltrack.report;

import io.calltrack.auth.Caller;
import io.calltrack.config.ActiveConfig;
import io.calltrack.config.SiteSpec;
import io.calltrack.web.ApiException;
import io.calltrack.web.Dates;
import io.calltrack.web.Text;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;

/**
 * The days a report covers, the zone they are cut in and the site it is limited to, as every report reads
 * its from, to, tz and site parameters.
 */
record ReportRange(LocalDate first, LocalDate last, ZoneId zone, String site) {

    private static final ZoneId UTC = ZoneId.of("UTC");

    static ReportRange of(String from, String to, String tz, String site, Caller caller, ActiveConfig config) {
        LocalDate first = Dates.day("from", from, Dates.FIRST_DAY, Dates.LAST_DAY);
        LocalDate last = Dates.day("to", to, Dates.FIRST_DAY, Dates.LAST_DAY);
        if (last.isBefore(first) || first.plusYears(5).isBefore(last)) {
            throw ApiException.badField("to", "to must be on or after from, at most 5 years later");
        }
        String scope = caller.siteToRead(site);
        return new ReportRange(first, last, zone(tz, scope, config), scope);
    }

    /** The zone days are cut in: the one asked for, else the site's, else UTC (a report across sites). */
    private static ZoneId zone(String tz, String site, ActiveConfig config) {
        if (tz != null && !tz.isBlank()) {
            try {
                return ZoneId.of(tz.strip());
            } catch (DateTimeException e) {
                throw ApiException.badField("tz", "'" + Text.printable(tz) + "' is not an IANA time zone (e.g. Europe/Moscow, UTC)");
            }
        }
        return site == null ? UTC : config.site(site).map(SiteSpec::timezone).orElse(UTC);
    }

    /** The first instant of the first day. */
    OffsetDateTime start() {
        return first.atStartOfDay(zone).toOffsetDateTime();
    }

    /** The first instant after the last day. */
    OffsetDateTime end() {
        return last.plusDays(1).atStartOfDay(zone).toOffsetDateTime();
    }
}
