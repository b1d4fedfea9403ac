package io.calltrack.web;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Locale;

/** Amounts and currencies as the API takes them (deal values, ad spend): the checks both share. */
public final class Money {

    private Money() {
    }

    /** Non-negative, at most 2 decimals, fits numeric(16, 2). */
    public static boolean isAmount(BigDecimal value) {
        return value != null && value.signum() >= 0 && value.scale() <= 2 && value.precision() - value.scale() <= 14;
    }

    /** The ISO 4217 code (any case in); null for none; a 400 naming {@code field} for anything else. */
    public static String currency(String raw, String field) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return Currency.getInstance(raw.trim().toUpperCase(Locale.ROOT)).getCurrencyCode();
        } catch (IllegalArgumentException e) {
            throw ApiException.badField(field, "'" + raw + "' is not an ISO 4217 currency code, e.g. RUB");
        }
    }
}
