package io.calltrack.report;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;

/** One channel's line in the report: traffic, calls, what they became, and what they cost. */
@Schema(name = "ChannelReportRow")
public record ChannelRow(
        @Schema(description = "The values grouped by; null for calls and visits without one", examples = "{\"source\": \"yandex\"}")
        Map<String, String> channel,
        @Schema(description = "Visits (bots excluded)", examples = "1200") long sessions,
        @Schema(examples = "54") long calls,
        @Schema(description = "Distinct caller numbers", examples = "50") long uniqueCallers,
        @Schema(description = "Callers whose first call ever is in the range", examples = "46") long firstTimeCallers,
        @Schema(examples = "40") long answered,
        @Schema(description = "Ended without an answer", examples = "14") long missed,
        @Schema(description = "Mean talk time of answered calls, seconds; null when none was answered", examples = "95.5") BigDecimal averageTalkSeconds,
        @Schema(description = "Calls whose outcome is lead, qualified or deal", examples = "18") long leads,
        @Schema(description = "Calls whose outcome is deal (customers)", examples = "12") long deals,
        @Schema(description = "Sum of deal values", examples = "108000.00") BigDecimal revenue,
        @Schema(description = "Ad spend in the range; null where spend is not known at this grouping (keyword, landing)",
                examples = "90000.00") BigDecimal spend,
        @Schema(description = "revenue - spend; null without spend", examples = "18000.00") BigDecimal profit,
        @Schema(description = "spend / calls; null without spend or calls", examples = "1666.67") BigDecimal costPerCall,
        @Schema(description = "spend / leads; null without spend or leads", examples = "5000.00") BigDecimal costPerLead,
        @Schema(description = "spend / deals (customer acquisition cost); null without spend or deals", examples = "7500.00") BigDecimal costPerCustomer,
        @Schema(description = "(revenue - spend) / spend, a fraction: 0.2 is 20%; null without spend", examples = "0.2000") BigDecimal romi) {

    static ChannelRow of(Map<String, String> channel, long sessions, long calls, long uniqueCallers, long firstTimeCallers,
                         long answered, long missed, BigDecimal averageTalkSeconds, long leads, long deals,
                         BigDecimal revenue, BigDecimal spend) {
        BigDecimal profit = spend == null ? null : revenue.subtract(spend);
        return new ChannelRow(channel, sessions, calls, uniqueCallers, firstTimeCallers, answered, missed,
                averageTalkSeconds == null ? null : averageTalkSeconds.setScale(1, RoundingMode.HALF_UP),
                leads, deals, revenue, spend, profit, per(spend, calls), per(spend, leads), per(spend, deals),
                spend == null || spend.signum() == 0 ? null : profit.divide(spend, 4, RoundingMode.HALF_UP));
    }

    private static BigDecimal per(BigDecimal spend, long count) {
        return spend == null || count == 0 ? null : spend.divide(BigDecimal.valueOf(count), 2, RoundingMode.HALF_UP);
    }
}
