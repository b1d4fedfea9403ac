package io.calltrack.session;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Duration;
import java.util.List;

/** The numbers a visit is shown. */
@Schema(name = "SessionResponse")
public record SessionResponse(
        @Schema(description = "null when nothing was leased (bots, static pools): then there is nothing to ping",
                examples = "Xq2v8LmN4pRt0sWk7YbC1g~demo-visits") String sessionId,
        @Schema(description = "how often the script renews the lease while the page is visible, in whole seconds (at least 1)",
                examples = "30") int pingSeconds,
        @Schema(description = "the same interval to the millisecond (a hold under 3 s, as a compressed-time test configures, "
                + "pings more than once a second)", examples = "30000") long pingMillis,
        List<SwapNumber> numbers) {

    /** {@code pingSeconds} is the interval in whole seconds, at least one, for clients that read only it. */
    static SessionResponse of(String sessionId, Duration ping, List<SwapNumber> numbers) {
        return new SessionResponse(sessionId, (int) Math.max(1, ping.toSeconds()), ping.toMillis(), numbers);
    }

    /**
     * @param original the printed number (E.164)
     * @param number   its substitute (E.164)
     * @param display  the substitute written in the site's format for the original
     * @param leased   true when the number is this visit's own (dynamic pool)
     */
    @Schema(name = "SwapNumber")
    public record SwapNumber(@Schema(examples = "+74951000000") String original,
                             @Schema(examples = "+74951110005") String number,
                             @Schema(examples = "+7 (495) 111-00-05") String display,
                             @Schema(examples = "demo-visits") String poolId,
                             @Schema(examples = "true") boolean leased) {
    }
}
