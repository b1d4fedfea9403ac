package io.calltrack.report;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.calltrack.web.ApiException;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Spend rows from CSV with a header line; comma or semicolon separated, as spreadsheets in many locales export. */
final class SpendCsv {

    private static final CsvMapper CSV = new CsvMapper();
    private static final List<String> REQUIRED = List.of("date", "source", "amount");

    private SpendCsv() {
    }

    /**
     * The rows of {@code body}; an error names the line as the sender's file numbers it (blank lines, a
     * byte-order mark and blank lines before the header counted, as a spreadsheet export may have them).
     */
    static List<SpendRow> parse(String body) {
        String text = body == null ? "" : body.startsWith("\uFEFF") ? body.substring(1) : body;
        int before = 0; // blank lines before the header, which the CSV reader would take for the header
        while (text.lines().findFirst().filter(String::isBlank).isPresent()) {
            int end = text.indexOf('\n');
            text = end < 0 ? "" : text.substring(end + 1);
            before++;
        }
        String header = text.lines().findFirst().orElse("");
        char separator = header.indexOf(';') >= 0 && header.indexOf(',') < 0 ? ';' : ',';
        CsvSchema schema = CsvSchema.emptySchema().withHeader().withColumnSeparator(separator);
        List<SpendRow> rows = new ArrayList<>();
        int line = before + 1;
        try (MappingIterator<Map<String, String>> it = CSV.readerForMapOf(String.class).with(schema)
                .with(CsvParser.Feature.SKIP_EMPTY_LINES).readValues(text)) {
            while (it.hasNextValue()) {
                line = before + it.getCurrentLocation().getLineNr();
                Map<String, String> row = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                row.putAll(it.nextValue());
                if (rows.isEmpty()) {
                    for (String column : REQUIRED) {
                        if (!row.containsKey(column)) {
                            throw ApiException.badField("line " + (before + 1) + "." + column,
                                    "the CSV header has no '" + column + "' column");
                        }
                    }
                }
                rows.add(row(row, line));
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ApiException api) {
                throw api;
            }
            throw ApiException.badField("line " + line, "CSV line " + line + " cannot be read: " + e.getMessage().lines().findFirst().orElse(""));
        }
        return rows;
    }

    private static SpendRow row(Map<String, String> row, int line) {
        String amount = blankToNull(row.get("amount"));
        BigDecimal value;
        try {
            value = amount == null ? null : new BigDecimal(amount.replace(" ", "").replace("\u00a0", ""));
        } catch (NumberFormatException e) {
            throw ApiException.badField("line " + line + ".amount", "line " + line + ": amount '" + amount + "' is not a number");
        }
        return new SpendRow(blankToNull(row.get("date")), blankToNull(row.get("source")), blankToNull(row.get("medium")),
                blankToNull(row.get("campaign")), value, blankToNull(row.get("currency")));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
