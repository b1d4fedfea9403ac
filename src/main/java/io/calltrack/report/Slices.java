package io.calltrack.report;

import io.calltrack.config.ActiveConfig;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A report range cut in a zone other than the sites' own, as the daily tables can serve it: per site, the
 * site-days that lie wholly inside the range (read from the tables) and the hours at either end that do not
 * (read from the calls and visits). Calls of no site have UTC days, as in the tables.
 */
record Slices(List<Whole> whole, List<Edge> edges) {

    record Whole(String site, LocalDate first, LocalDate last) {
    }

    record Edge(String site, Instant from, Instant to) {
    }

    static Slices of(ReportRange range, ActiveConfig config) {
        Map<String, ZoneId> zones = ReportDays.siteZones(config);
        if (range.site() != null) {
            zones = Map.of(range.site(), zones.getOrDefault(range.site(), ZoneOffset.UTC));
        }
        Instant from = range.start().toInstant(), to = range.end().toInstant();
        List<Whole> whole = new ArrayList<>();
        List<Edge> edges = new ArrayList<>();
        zones.forEach((site, zone) -> {
            LocalDate first = LocalDate.ofInstant(from, zone);
            if (first.atStartOfDay(zone).toInstant().isBefore(from)) {
                first = first.plusDays(1);
            }
            // the day that holds the range's end began at or before it: the last whole day is the one before
            LocalDate last = LocalDate.ofInstant(to, zone).minusDays(1);
            if (last.isBefore(first)) {
                edges.add(new Edge(site, from, to));
                return;
            }
            whole.add(new Whole(site, first, last));
            Instant wholeFrom = first.atStartOfDay(zone).toInstant(), wholeTo = last.plusDays(1).atStartOfDay(zone).toInstant();
            if (from.isBefore(wholeFrom)) {
                edges.add(new Edge(site, from, wholeFrom));
            }
            if (wholeTo.isBefore(to)) {
                edges.add(new Edge(site, wholeTo, to));
            }
        });
        return new Slices(whole, edges);
    }

    String[] edgeSites() {
        return edges.stream().map(Edge::site).toArray(String[]::new);
    }

    OffsetDateTime[] edgeFrom() {
        return edges.stream().map(e -> e.from().atOffset(ZoneOffset.UTC)).toArray(OffsetDateTime[]::new);
    }

    OffsetDateTime[] edgeTo() {
        return edges.stream().map(e -> e.to().atOffset(ZoneOffset.UTC)).toArray(OffsetDateTime[]::new);
    }

    String[] wholeSites() {
        return whole.stream().map(Whole::site).toArray(String[]::new);
    }

    LocalDate[] wholeFrom() {
        return whole.stream().map(Whole::first).toArray(LocalDate[]::new);
    }

    LocalDate[] wholeTo() {
        return whole.stream().map(Whole::last).toArray(LocalDate[]::new);
    }
}
