package io.calltrack.phone;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import io.calltrack.Memo;

import java.util.Optional;
import java.util.Set;

/**
 * Phone number normalisation, done by libphonenumber so that every national quirk (trunk prefixes such
 * as Russia's leading 8, optional "+", punctuation) is handled the same way in config, snippet and AMI.
 */
public final class PhoneNumbers {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private PhoneNumbers() {
    }

    /** True when libphonenumber knows the ISO 3166 region code (e.g. "RU", "US"). */
    public static boolean isKnownRegion(String region) {
        return region != null && UTIL.getSupportedRegions().contains(region.toUpperCase());
    }

    /**
     * The E.164 form of a number written in any common format, or empty when it is not a possible
     * number. A number without "+" is read in the given region; digits that already start with the
     * region's country code (as PBXes often send them, "74951234567") are accepted too.
     */
    public static Optional<String> toE164(String raw, String region) {
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        String text = raw.strip();
        Optional<String> parsed = parse(text, region);
        if (parsed.isPresent() || text.startsWith("+")) {
            return parsed;
        }
        // PBXes and carriers commonly drop the "+" but keep the country code.
        return parse("+" + text, region);
    }

    private static Optional<String> parse(String text, String region) {
        try {
            PhoneNumber number = UTIL.parse(text, region == null ? "ZZ" : region.toUpperCase());
            if (!UTIL.isPossibleNumber(number)) {
                return Optional.empty();
            }
            return Optional.of(UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164));
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }

    /** Digits only, for matching a number whatever its separators. */
    public static String digits(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The national significant number ("4951234567" for "+74951234567"). */
    public static String nationalDigits(String e164) {
        try {
            PhoneNumber number = UTIL.parse(e164, "ZZ");
            return UTIL.getNationalSignificantNumber(number);
        } catch (NumberParseException e) {
            return digits(e164);
        }
    }

    /** The country calling code of an E.164 number ("7" for "+74951234567"). */
    public static String countryCode(String e164) {
        try {
            return Integer.toString(UTIL.parse(e164, "ZZ").getCountryCode());
        } catch (NumberParseException e) {
            return "";
        }
    }

    /** The national trunk prefix dialled before a national number ("8" in Russia, "0" in the UK, "" if none). */
    public static String trunkPrefix(String e164) {
        String prefix = UTIL.getNddPrefixForRegion(regionOf(e164), true);
        return prefix == null ? "" : prefix;
    }

    /**
     * The substitute number written the way the site printed the original: its digits go into the same
     * places, keeping the site's separators and its choice of "+7 ...", "8 ..." or a bare national number.
     * When the shapes cannot match (different lengths) the substitute comes in international format.
     */
    public static String mirror(String printed, String originalE164, String substituteE164) {
        String digits = digits(printed);
        Parts original = PARTS.get(originalE164);
        Parts substitute = split(substituteE164);
        String nsn = original.nsn();
        String substituteNsn = substitute.nsn();
        String trunk = original.trunk();
        String replacement;
        if (digits.equals(original.cc() + nsn)) {
            replacement = substitute.cc() + substituteNsn;
        } else if (!trunk.isEmpty() && digits.equals(trunk + nsn)) {
            replacement = trunk + substituteNsn;
        } else if (digits.equals(nsn)) {
            replacement = substituteNsn;
        } else {
            replacement = null;
        }
        if (replacement == null || replacement.length() != digits.length()) {
            return international(substituteE164);
        }
        StringBuilder out = new StringBuilder(printed);
        int next = 0;
        for (int i = 0; i < out.length(); i++) {
            if (Character.isDigit(out.charAt(i))) {
                out.setCharAt(i, replacement.charAt(next++));
            }
        }
        return out.toString();
    }

    /** Country code, national number and trunk prefix of an E.164 number. */
    record Parts(String cc, String nsn, String trunk) {
    }

    /** Calling codes are prefix-free: an E.164 number's is the first of its 1-3 leading digits found here. */
    private static final Set<Integer> CALLING_CODES = UTIL.getSupportedCallingCodes();

    /**
     * Country code and national number (no trunk prefix) of a substitute, split without parsing: E.164 is
     * "+", the calling code, the national number. A pool holds up to a hundred thousand numbers, each first
     * handed out on some visit; parsing each then took a seventh of a request's time while a fresh pool was
     * gone through. Anything else is parsed.
     */
    static Parts split(String e164) {
        if (e164.length() > 4 && e164.charAt(0) == '+' && digits(e164).length() == e164.length() - 1) {
            for (int end = 2; end <= 4; end++) {
                if (CALLING_CODES.contains(Integer.parseInt(e164.substring(1, end)))) {
                    return new Parts(e164.substring(1, end), e164.substring(end), "");
                }
            }
        }
        return PARTS.get(e164);
    }

    /** The parts of the numbers a site prints, parsed once: they come from the configuration. */
    private static final Memo<String, Parts> PARTS = new Memo<>(10_000,
            e164 -> new Parts(countryCode(e164), nationalDigits(e164), trunkPrefix(e164)));

    /** "+7 495 111-00-05" style. */
    public static String international(String e164) {
        try {
            return UTIL.format(UTIL.parse(e164, "ZZ"), PhoneNumberUtil.PhoneNumberFormat.INTERNATIONAL);
        } catch (NumberParseException e) {
            return e164;
        }
    }

    /** The region a number belongs to, e.g. "RU" for "+74951234567". */
    public static String regionOf(String e164) {
        try {
            return UTIL.getRegionCodeForNumber(UTIL.parse(e164, "ZZ"));
        } catch (NumberParseException e) {
            return "ZZ";
        }
    }
}
