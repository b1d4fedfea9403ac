package io.calltrack.phone;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PhoneNumbersTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            +7 (495) 100-00-00 | +74951000000 | +74951110005 | +7 (495) 111-00-05
            8 (495) 100-00-00  | +74951000000 | +74951110005 | 8 (495) 111-00-05
            (495) 1000000      | +74951000000 | +74951110005 | (495) 1110005
            +7.495.100.00.00   | +74951000000 | +74951110005 | +7.495.111.00.05
            020 7946 0000      | +442079460000 | +442079460201 | 020 7946 0201
            (212) 555-0100     | +12125550100 | +16465550001 | (646) 555-0001
            +7 (495) 100-00-00 | +74951000000 | +78001234567 | +7 (800) 123-45-67
            """)
    void substituteMirrorsThePrintedFormat(String printed, String original, String substitute, String expected) {
        assertEquals(expected, PhoneNumbers.mirror(printed, original, substitute));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            74951110001    | RU | +74951110001
            +74957654321   | RU | +74957654321
            84951234567    | RU | +74951234567
            8 (495) 123-45-67 | RU | +74951234567
            020 7946 0000  | GB | +442079460000
            (212) 555-0100 | US | +12125550100
            """)
    void normalisesWhatPbxesAndSitesWrite(String raw, String region, String e164) {
        assertEquals(e164, PhoneNumbers.toE164(raw, region).orElseThrow());
    }

    @Test
    void splittingASubstitute_agreesWithParsingIt_inEveryRegion() {
        PhoneNumberUtil util = PhoneNumberUtil.getInstance();
        List<String> numbers = new ArrayList<>();
        for (String region : util.getSupportedRegions()) {
            for (PhoneNumberUtil.PhoneNumberType type : List.of(PhoneNumberUtil.PhoneNumberType.FIXED_LINE,
                    PhoneNumberUtil.PhoneNumberType.MOBILE, PhoneNumberUtil.PhoneNumberType.TOLL_FREE)) {
                Phonenumber.PhoneNumber example = util.getExampleNumberForType(region, type);
                if (example != null) {
                    numbers.add(util.format(example, PhoneNumberUtil.PhoneNumberFormat.E164));
                }
            }
        }
        for (int code : util.getSupportedGlobalNetworkCallingCodes()) {
            numbers.add(util.format(util.getExampleNumberForNonGeoEntity(code), PhoneNumberUtil.PhoneNumberFormat.E164));
        }
        assertTrue(numbers.size() > 500, "examples: " + numbers.size());
        for (String e164 : numbers) {
            PhoneNumbers.Parts split = PhoneNumbers.split(e164);
            assertEquals(PhoneNumbers.countryCode(e164), split.cc(), e164);
            assertEquals(PhoneNumbers.nationalDigits(e164), split.nsn(), e164);
        }
    }
}
