package io.calltrack.report;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.math.BigDecimal;

/** Ad spend of one day on one channel. */
@Schema(name = "Spend")
public record SpendRow(
        @Schema(description = "Day (YYYY-MM-DD, UTC)", examples = "2026-11-01", required = true) String date,
        @Schema(examples = "yandex", required = true) String source,
        @Schema(description = "Omit for spend not split by medium", examples = "cpc") String medium,
        @Schema(description = "Omit for spend not split by campaign", examples = "drains-autumn") String campaign,
        @Schema(examples = "3000.00", required = true) BigDecimal amount,
        @Schema(description = "ISO 4217", examples = "RUB") String currency) {
}
