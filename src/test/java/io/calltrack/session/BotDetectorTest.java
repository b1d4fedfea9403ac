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
                .filter(l -> !l.isBlank()).toList();
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
