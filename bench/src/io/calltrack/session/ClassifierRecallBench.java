package io.calltrack.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Traffic-source and bot recognition measured on third-party test sets the service's own lists do not come
 * from (bench/recall downloads them at pinned commits; see there for sources and licences):
 * <ul>
 *   <li>referrers: snowplow referer-parser's referer-tests.json, its search and social cases (medium) and the
 *       search terms they carry (keyword);</li>
 *   <li>bots: Matomo device-detector's bot fixtures, and ua-parser uap-core's device tests labelled Spider;</li>
 *   <li>browsers: device-detector's desktop, smartphone and tablet fixtures whose client is a browser, and the
 *       1,500 real browser UAs of the tests (npm user-agents).</li>
 * </ul>
 * <pre>java -cp ... io.calltrack.session.ClassifierRecallBench DATA_DIR</pre>
 */
public final class ClassifierRecallBench {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        referrers(dir.resolve("referer-tests.json"));
        List<String> ddBots = yamlField(dir.resolve("dd-bots.yml"), "user_agent", e -> true);
        List<String> uapSpiders = yamlField(dir.resolve("uap-test_device.yaml"), "user_agent_string", e -> "Spider".equals(e.get("family")));
        List<String> ddBrowsers = new ArrayList<>();
        for (String f : List.of("dd-desktop.yml", "dd-smartphone-1.yml", "dd-tablet.yml")) {
            ddBrowsers.addAll(yamlField(dir.resolve(f), "user_agent",
                    e -> e.get("client") instanceof Map<?, ?> c && "browser".equals(c.get("type"))));
        }
        List<String> npm = Files.readAllLines(Path.of("src/test/resources/useragents/browsers-user-agents-npm.txt")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("# ")).toList();
        System.out.println("bots (share flagged):");
        flagged("device-detector bot fixtures", ddBots, true);
        flagged("uap-core device tests, family Spider", uapSpiders, true);
        System.out.println("browsers (share flagged: false positives):");
        flagged("npm user-agents, 1,500 real browsers", npm, false);
        flagged("device-detector fixtures, client type browser", ddBrowsers, false);
    }

    private static void referrers(Path file) throws Exception {
        JsonNode tests = new ObjectMapper().readTree(file.toFile());
        int cases = 0, mediumRight = 0, withTerm = 0, termRight = 0;
        List<String> wrong = new ArrayList<>();
        for (JsonNode t : tests) {
            String medium = t.path("medium").asText();
            if (!medium.equals("search") && !medium.equals("social")) {
                continue;
            }
            cases++;
            TrafficSource s = SourceClassifier.classify("https://shop.example.com/", t.path("uri").asText());
            if ((medium.equals("search") ? "organic" : "social").equals(s.medium())) {
                mediumRight++;
            } else {
                wrong.add("medium " + s.medium() + " for " + t.path("spec").asText());
            }
            if (t.hasNonNull("term")) {
                withTerm++;
                if (t.get("term").asText().strip().equalsIgnoreCase(s.keyword() == null ? "" : s.keyword().strip())) {
                    termRight++;
                } else {
                    wrong.add("keyword " + s.keyword() + " for " + t.path("spec").asText());
                }
            }
        }
        System.out.printf(Locale.ROOT, "referrers (snowplow referer-tests.json, search and social):%n");
        System.out.printf(Locale.ROOT, "  medium right   %4d / %4d  %5.1f%%  (target >= 95%%)%n", mediumRight, cases, 100.0 * mediumRight / cases);
        System.out.printf(Locale.ROOT, "  keyword right  %4d / %4d  %5.1f%%  (target >= 90%%; compared without surrounding blanks)%n",
                termRight, withTerm, 100.0 * termRight / withTerm);
        wrong.forEach(w -> System.out.println("    " + w));
    }

    private static void flagged(String label, List<String> uas, boolean bots) {
        List<String> flagged = uas.stream().filter(BotDetector::isBot).toList();
        System.out.printf(Locale.ROOT, "  %-48s %5d / %5d  %5.1f%%%n", label, flagged.size(), uas.size(), 100.0 * flagged.size() / uas.size());
        (bots ? uas.stream().filter(ua -> !BotDetector.isBot(ua)) : flagged.stream()).limit(10)
                .forEach(ua -> System.out.println("    " + (bots ? "missed: " : "flagged: ") + ua));
    }

    @SuppressWarnings("unchecked")
    private static List<String> yamlField(Path file, String field, Predicate<Map<String, Object>> keep) throws Exception {
        try (Reader in = Files.newBufferedReader(file)) {
            LoaderOptions options = new LoaderOptions();
            options.setCodePointLimit(64 * 1024 * 1024); // uap-core's device tests are 3 MB
            Object doc = new Yaml(new SafeConstructor(options)).load(in);
            List<Object> cases = doc instanceof Map<?, ?> m ? (List<Object>) m.get("test_cases") : (List<Object>) doc;
            Set<String> out = new LinkedHashSet<>();
            for (Object c : cases) {
                if (c instanceof Map<?, ?> e && e.get(field) != null && keep.test((Map<String, Object>) e)) {
                    out.add(String.valueOf(e.get(field)));
                }
            }
            return List.copyOf(out);
        }
    }
}
