package io.calltrack.session;

import io.calltrack.VisitIdTime;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

import static io.calltrack.Clocks.instant;

/** A visit as the API shows it (the call detail's session): where the visitor came from and what they saw. */
@Schema(name = "Visit")
public record VisitView(
        @Schema(examples = "Xq2v8LmN4pRt0sWk7YbC1g~demo-visits") String id,
        @Schema(description = "The browser's visitor id, the same across its visits", examples = "q9XbT2mLr0Vh4sN8eKc1Aw") String visitorId,
        @Schema(examples = "demo") String site,
        @Schema(description = "The pool of its first lease; null when it held none", examples = "demo-visits") String pool,
        @Schema(description = "The number it was shown first; null when it held none", examples = "+74951110002") String number,
        Instant startedAt,
        @Schema(description = "Last page view or ping, to within a minute") Instant lastSeenAt,
        @Schema(description = "null for direct visits", examples = "yandex") String source,
        @Schema(description = "null for direct visits", examples = "cpc") String medium,
        @Schema(description = "utm_campaign; null when none", examples = "drains") String campaign,
        @Schema(description = "utm_content; null when none", examples = "banner-a") String content,
        @Schema(description = "The search terms or utm_term; null when none", examples = "blocked drain") String keyword,
        @Schema(description = "The landing page; null when not known", examples = "https://demo.example/?utm_source=yandex") String landingUrl,
        @Schema(description = "null when none", examples = "https://yandex.ru/") String referrer,
        @Schema(description = "Google Ads click id (gclid, gbraid or wbraid); null when none", examples = "Cj0KCQiA6Ou5BhCr") String gclid,
        @Schema(description = "Yandex Direct click id; null when none", examples = "7391846201957263") String yclid,
        @Schema(description = "Meta click id; null when none", examples = "IwAR2F4-dbP0l7Mn") String fbclid,
        @Schema(description = "Microsoft Ads click id; null when none", examples = "3f2a9c1e8b7d4e6f") String msclkid,
        @Schema(description = "TikTok Ads click id; null when none", examples = "E.C.P.v3kS9fQ2") String ttclid,
        @Schema(description = "Google Analytics client id; null when none", examples = "1234567890.1700000000") String gaClientId,
        @Schema(description = "The landing page's title; null when not sent", examples = "Blocked drains, 24/7") String pageTitle,
        @Schema(description = "Taken for a bot (it got the site's own number)", examples = "false") boolean bot) {

    /**
     * The visit, if its record has reached the database. Its id tells when it began, so the month's partition is
     * read first (every month's only when that finds nothing: a visit whose id was not made by the service).
     */
    public static Uni<Optional<VisitView>> read(Pool db, String id) {
        Optional<OffsetDateTime> from = VisitIdTime.earliest(id), to = VisitIdTime.latest(id);
        Uni<RowSet<Row>> inMonth = from.isEmpty() ? Uni.createFrom().nullItem()
                : db.preparedQuery("SELECT * FROM sessions WHERE id = $1 AND started_at >= $2 AND started_at <= $3")
                .execute(Tuple.of(id, from.get(), to.get()));
        return VisitIdTime.orEveryMonth(inMonth, () -> db.preparedQuery("SELECT * FROM sessions WHERE id = $1").execute(Tuple.of(id)))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(of(rows.iterator().next())));
    }

    private static VisitView of(Row r) {
        return new VisitView(r.getString("id"), r.getString("visitor_id"), r.getString("site_key"), r.getString("pool_id"),
                r.getString("number"), instant(r, "started_at"), instant(r, "last_seen_at"), r.getString("source"),
                r.getString("medium"), r.getString("campaign"), r.getString("content"), r.getString("keyword"),
                r.getString("landing_url"), r.getString("referrer"), r.getString("gclid"), r.getString("yclid"),
                r.getString("fbclid"), r.getString("msclkid"), r.getString("ttclid"), r.getString("ga_client_id"),
                r.getString("page_title"), r.getBoolean("bot"));
    }
}
