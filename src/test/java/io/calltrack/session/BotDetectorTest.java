package io.calltrack.session;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Recall and false positives on real User-Agent strings of browsers (incl. in-app and the CUBOT brand) and bots. */
class BotDetectorTest {

    private static List<String> lines(String file) throws IOException {
        return Files.readAllLines(Path.of("src/test/resources/useragents", file)).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("# ")).toList();
    }

    /** The example User-Agents the vendored crawler-user-agents list gives for its patterns. */
    private static List<String> listedCrawlerExamples() throws IOException {
        List<String> out = new java.util.ArrayList<>();
        try (var in = BotDetector.class.getResourceAsStream(BotDetector.LIST)) {
            for (var entry : new com.fasterxml.jackson.databind.ObjectMapper().readTree(in)) {
                entry.path("instances").forEach(i -> out.add(i.asText()));
            }
        }
        return out;
    }

    @Test
    void atLeast95PercentOfTheCrawlerListsExamplesAndNoneOf1500RealBrowsers() throws IOException {
        List<String> crawlers = listedCrawlerExamples().stream().filter(ua -> !ua.isBlank()).toList();
        long caught = crawlers.stream().filter(BotDetector::isBot).count();
        List<String> browsers = lines("browsers-user-agents-npm.txt");
        List<String> falsePositives = browsers.stream().filter(BotDetector::isBot).toList();
        System.out.printf("bot detection: crawler-user-agents examples %d/%d (%.1f%%), real browsers flagged %d/%d%n",
                caught, crawlers.size(), 100.0 * caught / crawlers.size(), falsePositives.size(), browsers.size());
        assertTrue(caught >= 0.95 * crawlers.size(), caught + " of " + crawlers.size());
        assertTrue(browsers.size() >= 1_000);
        assertEquals(List.of(), falsePositives, "browsers taken for bots");
    }

    @Test
    void atLeast90PercentOfAnIndependentSpiderSet() throws IOException {
        List<String> spiders = lines("uap-core-spiders.txt");
        List<String> missed = spiders.stream().filter(ua -> !BotDetector.isBot(ua)).toList();
        System.out.printf("bot detection: uap-core spiders %d/%d%n", spiders.size() - missed.size(), spiders.size());
        assertEquals(73, spiders.size());
        assertTrue(missed.size() <= 0.10 * spiders.size(), "missed: " + missed);
    }

    @Test
    void programsThatNameNoBrowserEngineAreBotsAndWebViewsThatPutTheirAppFirstAreNot() {
        for (String ua : List.of("NewsGator/3.0,gzip(gfe),gzip(gfe)", "ZooShot 0.42", "InternetArchive-1.0",
                "Dalvik/2.1.0 (Linux; U; Android 14; Pixel 8 Build/AP1A)", "Mozilla/5.0 (compatible; WebThumbnail/2.2)",
                "Mozilla/4.0 (compatible;  MSIE 5.01; GomezAgent 2.0; Windows NT)", "Reaper/2.07 ( http://www.sitesearch.ca/reaper)")) {
            assertTrue(BotDetector.isBot(ua), ua);
        }
        String webView = "AptoideLite/50 (Linux; Android 9; SM-A730X Build/PPR1.180610.011; wv) AppleWebKit/537.36 "
                + "(KHTML, like Gecko) Version/4.0 Chrome/73.0.3683.90 Mobile Safari/537.36";
        assertTrue(!BotDetector.isBot(webView), webView);
    }

    @Test
    void everyKnownBotIsCaughtAndNoBrowserIs() throws IOException {
        List<String> bots = lines("bots.txt");
        List<String> browsers = lines("browsers.txt");
        List<String> missed = bots.stream().filter(ua -> !BotDetector.isBot(ua)).toList();
        List<String> falsePositives = browsers.stream().filter(BotDetector::isBot).toList();
        System.out.printf("bot detection: recall %d/%d, false positives %d/%d%n",
                bots.size() - missed.size(), bots.size(), falsePositives.size(), browsers.size());
        assertEquals(List.of(), missed, "bots not recognised");
        assertEquals(List.of(), falsePositives, "browsers taken for bots");
    }

    @Test
    void theVerdictIsTheSameAskedAgain_andForUserAgentsTooLongToRemember() throws IOException {
        for (String ua : lines("bots.txt")) {
            assertTrue(BotDetector.isBot(ua) && BotDetector.isBot(ua), ua);
            assertTrue(BotDetector.isBot(ua + " ".repeat(600) + "x"), "padded: " + ua);
        }
        for (String ua : lines("browsers.txt")) {
            assertTrue(!BotDetector.isBot(ua) && !BotDetector.isBot(ua), ua);
            assertTrue(!BotDetector.isBot(ua + " ".repeat(600) + "x"), "padded: " + ua);
        }
    }

    @Test
    void missingOrTinyUserAgentIsABot() {
        assertTrue(BotDetector.isBot(null));
        assertTrue(BotDetector.isBot(""));
        assertTrue(BotDetector.isBot("Mozilla"));
    }
}
