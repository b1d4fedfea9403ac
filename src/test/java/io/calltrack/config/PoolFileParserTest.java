package io.calltrack.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PoolFileParserTest {

    private static final String GOOD = """
            sites:
              - key: acme
                region: RU
                domains: [acme.ru]
                printedNumbers: ["8 (495) 100-00-00"]
                pools:
                  - id: acme-seo
                    kind: static
                    match: { medium: organic }
                    numbers: ["+7 495 200-00-01"]
                  - id: acme-visits
                    kind: dynamic
                    numbers: ["74951110001..74951110020", "+7 (495) 111-00-99"]
                    hold: 1h30m
                    exhaustion: default
            """;

    /** A PBX entry, appended to GOOD (its first line is line 16). */
    private static final String PBX = """
                pbx:
                  - id: office
                    host: 127.0.0.1
                    username: calltrack
                    secret: ${AMI_SECRET}
                    contexts: [from-trunk]
                    region: RU
                """;

    private static PoolFile parse(String yaml) {
        return PoolFileParser.parse(yaml, Map.of("AMI_SECRET", "s3cret")::get);
    }

    private static ConfigProblem onlyProblem(String yaml) {
        var e = assertThrows(InvalidPoolFileException.class, () -> parse(yaml));
        assertEquals(1, e.problems().size(), () -> "problems: " + e.problems());
        return e.problems().get(0);
    }

    @Test
    void goodFileIsReadWithNumbersInE164AndRangesExpanded() {
        PoolFile file = parse(GOOD);
        SiteSpec site = file.site("acme").orElseThrow();
        assertEquals("+74951000000", site.printedNumbers().get(0).e164());
        assertEquals("8 (495) 100-00-00", site.printedNumbers().get(0).printed());
        assertEquals("+74951000000", site.defaultNumber(), "default number falls back to the first printed one");
        PoolSpec visits = site.pool("acme-visits");
        assertEquals(21, visits.numbers().size());
        assertEquals("+74951110001", visits.numbers().get(0));
        assertEquals("+74951110020", visits.numbers().get(19));
        assertEquals(Duration.ofMinutes(90), visits.hold());
        assertEquals(Duration.ofHours(24), visits.lateCallWindow());
        assertEquals(PoolSpec.Exhaustion.DEFAULT, visits.exhaustion());
        assertEquals(List.of("+74951000000"), visits.replaces());
        assertTrue(visits.match().isCatchAll());
        assertEquals(0.99, file.sizing().target());
    }

    @Test
    void theRepositorysSampleFileIsValid() throws Exception {
        PoolFile file = parse(Files.readString(Path.of("number-pool.yaml")));
        SiteSpec demo = file.site("demo").orElseThrow();
        assertEquals(2, demo.pools().stream().filter(p -> !p.isDynamic()).count());
        assertTrue(demo.pools().stream().anyMatch(p -> p.isDynamic() && p.numbers().size() >= 20));
    }

    @Test
    void badNumberNamesItsPathAndLine() {
        ConfigProblem p = onlyProblem(GOOD.replace("\"+7 (495) 111-00-99\"", "\"+7 (495) 11\""));
        assertEquals("sites[0].pools[1].numbers[1]", p.path());
        assertEquals(13, p.line());
        assertTrue(p.message().contains("not a valid phone number"), p.message());
    }

    @Test
    void unknownPoolKindIsRejected() {
        ConfigProblem p = onlyProblem(GOOD.replace("kind: static", "kind: sticky"));
        assertEquals("sites[0].pools[0].kind", p.path());
        assertEquals(8, p.line());
        assertTrue(p.message().contains("static, dynamic"), p.message());
    }

    @Test
    void duplicateNumberAcrossPoolsIsRejected() {
        ConfigProblem p = onlyProblem(GOOD.replace("\"+7 495 200-00-01\"", "\"+7 495 111-00-05\""));
        assertEquals("sites[0].pools[1].numbers[0]", p.path());
        assertTrue(p.message().contains("duplicate number +74951110005"), p.message());
        assertTrue(p.message().contains("sites[0].pools[0].numbers[0]"), p.message());
    }

    @Test
    void missingSiteKeyIsRejected() {
        ConfigProblem p = onlyProblem(GOOD.replace("- key: acme\n    region", "- region"));
        assertEquals("sites[0]", p.path());
        assertTrue(p.message().contains("key is required"), p.message());
    }

    @Test
    void badDurationIsRejected() {
        ConfigProblem p = onlyProblem(GOOD.replace("hold: 1h30m", "hold: ninety minutes"));
        assertEquals("sites[0].pools[1].hold", p.path());
        assertEquals(14, p.line());
    }

    @Test
    void coolDownIsRefusedWithTheReason() {
        ConfigProblem p = onlyProblem(GOOD.replace("hold: 1h30m", "hold: 1h30m\n        coolDown: 10m"));
        assertEquals("sites[0].pools[1].coolDown", p.path());
        assertTrue(p.message().contains("no cool-down"), p.message());
    }

    @Test
    void anAttributionModelIsRefusedWithTheReason() {
        ConfigProblem p = onlyProblem(GOOD.replace("domains: [acme.ru]", "domains: [acme.ru]\n    attribution: first-touch"));
        assertTrue(p.path().endsWith(".attribution"), p.path());
        assertTrue(p.message().contains("no attribution model"), p.message());
    }

    @Test
    void unknownFieldIsRejectedNotIgnored() {
        ConfigProblem p = onlyProblem(GOOD.replace("hold: 1h30m", "hodl: 1h30m"));
        assertEquals("sites[0].pools[1].hodl", p.path());
        assertTrue(p.message().startsWith("unknown field"), p.message());
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        var e = assertThrows(InvalidPoolFileException.class,
                () -> parse(GOOD.replace("kind: static", "kind: x").replace("hold: 1h30m", "hold: x")));
        assertEquals(2, e.problems().size());
    }

    @Test
    void yamlSyntaxErrorNamesTheLine() {
        ConfigProblem p = onlyProblem(GOOD.replace("domains: [acme.ru]", "domains: [acme.ru"));
        assertTrue(p.line() >= 4, "line " + p.line());
        assertTrue(p.message().startsWith("not valid YAML"), p.message());
    }

    @Test
    void pbxSecretComesFromTheEnvironment() {
        String pbx = GOOD + PBX;
        PbxSpec spec = parse(pbx).pbxes().get(0);
        assertEquals("s3cret", spec.secret());
        assertEquals(5038, spec.port());
        assertEquals("exten", spec.didSource());
        assertFalse(spec.toString().contains("s3cret"));
        ConfigProblem p = onlyProblem(pbx.replace("AMI_SECRET", "MISSING_SECRET"));
        assertEquals("pbx[0].secret", p.path());
        assertTrue(p.message().contains("MISSING_SECRET is not set"));
    }

    @Test
    void oversizedOrBackwardRangesAreRejected() {
        assertTrue(onlyProblem(GOOD.replace("74951110001..74951110020", "74951110020..74951110001"))
                .message().contains("upwards"));
        assertTrue(onlyProblem(GOOD.replace("74951110001..74951110020", "74950000000..74959999999"))
                .message().contains("at most 100000"));
    }

    @Test
    void durationsInSeveralNotations() {
        assertEquals(Duration.ofSeconds(90), YamlScalars.parseDuration("90s"));
        assertEquals(Duration.ofDays(2), YamlScalars.parseDuration("2d"));
        assertEquals(Duration.ofMinutes(15), YamlScalars.parseDuration("PT15M"));
        assertEquals(null, YamlScalars.parseDuration("15 minutes"));
        assertEquals(null, YamlScalars.parseDuration("m"));
    }

    @Test
    void aliasBombIsRefusedWithItsLine() {
        String bomb = GOOD + """
                sizing:
                  a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]
                  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
                  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
                """;
        ConfigProblem p = onlyProblem(bomb);
        assertEquals(18, p.line());
        assertTrue(p.message().contains("aliases"), p.message());
    }

    @Test
    void deepNestingIsRefusedWithItsLine() {
        String deep = GOOD + "sizing: " + "[".repeat(20_000) + "]".repeat(20_000) + "\n";
        ConfigProblem p = onlyProblem(deep);
        assertEquals(16, p.line());
        assertTrue(p.message().contains("nested deeper"), p.message());
    }

    @Test
    void nulCharacterIsRefusedWithItsLine() {
        ConfigProblem p = onlyProblem(GOOD.replace("name: x", "").replace("acme.ru", "acme\0.ru"));
        assertEquals(4, p.line());
        assertTrue(p.message().contains("NUL"), p.message());
    }

    @Test
    void oversizedFileIsRefusedAtOnce() {
        String huge = GOOD + "#" + "x".repeat(YamlShape.MAX_CHARS) + "\n";
        ConfigProblem p = onlyProblem(huge);
        assertTrue(p.message().contains("larger than"), p.message());
    }

    @Test
    void pbxCdrSourceIsReadAndItsMistakesNamed() {
        String pbx = GOOD + PBX + """
                    cdr:
                      url: postgresql://cdr.example:5432/asteriskcdrdb
                      password: ${AMI_SECRET}
                      timezone: Europe/Moscow
                """;
        PbxSpec.CdrSource cdr = parse(pbx).pbxes().get(0).cdr();
        assertEquals("postgresql://cdr.example:5432/asteriskcdrdb", cdr.url());
        assertEquals("asterisk", cdr.username());
        assertEquals("cdr", cdr.table());
        assertEquals(java.time.ZoneId.of("Europe/Moscow"), cdr.timeZone());
        assertFalse(cdr.toString().contains("s3cret"));

        var e = assertThrows(InvalidPoolFileException.class, () -> parse(pbx.replace("postgresql://cdr.example:5432/asteriskcdrdb", "mysql://x/y")
                .replace("Europe/Moscow", "Mars/Olympus")));
        assertEquals(List.of("pbx[0].cdr.url", "pbx[0].cdr.timezone"), e.problems().stream().map(ConfigProblem::path).toList());
        assertEquals(24, e.problems().get(0).line());
    }
}
