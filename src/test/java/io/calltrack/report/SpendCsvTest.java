package io.calltrack.report;

import io.calltrack.web.ApiException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Spend CSV as spreadsheets export it: errors name the line the sender sees in their file. */
class SpendCsvTest {

    @Test
    void blankLinesAreSkippedAndStillCounted() {
        ApiException e = assertThrows(ApiException.class, () -> SpendCsv.parse(
                "date,source,amount\n2026-11-01,google,10\n\n   \n2026-11-02,google,ten\n"));
        assertEquals("line 5.amount", e.field());
    }

    @Test
    void byteOrderMarkAndBlankLinesBeforeTheHeader() {
        String csv = "\uFEFF\r\n\r\ndate;source;amount\r\n2026-11-01;yandex;1 500.50\r\n2026-11-02;yandex;x\r\n";
        ApiException e = assertThrows(ApiException.class, () -> SpendCsv.parse(csv));
        assertEquals("line 5.amount", e.field());
        List<SpendRow> rows = SpendCsv.parse(csv.replace(";x", ";2"));
        assertEquals(2, rows.size());
        assertEquals(new BigDecimal("1500.50"), rows.get(0).amount());
        assertEquals("yandex", rows.get(1).source());
    }

    @Test
    void quotedFieldOverTwoLinesKeepsTheCountRight() {
        ApiException e = assertThrows(ApiException.class, () -> SpendCsv.parse(
                "date,source,campaign,amount\n2026-11-01,google,\"spring\nsale\",5\n2026-11-02,google,x,?\n"));
        assertEquals("line 4.amount", e.field());
    }

    @Test
    void blankBodyIsABadRequestNotALoop() {
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertThrows(ApiException.class, () -> SpendCsv.parse("   "));
            assertThrows(ApiException.class, () -> SpendCsv.parse("\n \n"));
        });
    }

    @Test
    void headerWithoutAColumnIsNamedAtItsLine() {
        ApiException e = assertThrows(ApiException.class, () -> SpendCsv.parse("\ndate,amount\n2026-11-01,5\n"));
        assertEquals("line 2.source", e.field());
    }
}
