package io.calltrack.session;

import io.calltrack.phone.PhoneNumbers;
import io.calltrack.support.Browsers;
import io.calltrack.support.CustomerSite;
import io.calltrack.support.PoolFixture;
import io.calltrack.support.SwapTiming;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URL;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The number-swap script in real headless Chromium, against pages on a customer origin. */
@QuarkusTest
class NumberSwapBrowserTest {

    static final String PRINTED = "+7 (495) 100-00-00";
    static final String ORIGINAL = "+74951000000";

    @TestHTTPResource("/s/demo.js")
    URL script;
    @Inject
    PoolFixture fixture;

    CustomerSite site;
    ChromeDriver browser;

    @BeforeEach
    void open() {
        fixture.fresh("demo-visits");
        site = new CustomerSite(script.toString());
        browser = Browsers.start();
    }

    @AfterEach
    void close() {
        browser.quit();
        site.close();
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private String attr(String id, String name) {
        return browser.findElement(By.id(id)).getAttribute(name);
    }

    /** Waits until the script has swapped, and returns the substitute (E.164) it got. */
    private String awaitSwap(ChromeDriver driver) {
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> {
            Object n = ((JavascriptExecutor) d).executeScript(
                    "return window.calltrack && window.calltrack.numbers().length ? window.calltrack.numbers()[0].number : null");
            return n != null;
        });
        return (String) ((JavascriptExecutor) driver).executeScript("return window.calltrack.numbers()[0].number");
    }

    private static String mirrored(String printed, String substitute) {
        return PhoneNumbers.mirror(printed, ORIGINAL, substitute);
    }

    private List<LogEntry> scriptErrors() {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
                .filter(e -> !e.getMessage().contains("net::ERR_")) // the browser's own network log, not a script error
                .toList();
    }

    @Test
    void plainPageShowsTheVisitsOwnNumberInTheSitesFormat() {
        browser.get(site.url("plain.html"));
        String number = awaitSwap(browser);
        assertTrue(number.matches("\\+749511100\\d\\d"), number);
        new WebDriverWait(browser, Duration.ofSeconds(5)).until(d -> !text("plain").equals(PRINTED));
        assertEquals(mirrored(PRINTED, number), text("plain"));
        assertEquals(List.of(), scriptErrors());
    }

    @Test
    void everyFormatAndLinkIsSwappedAndNothingElse() {
        browser.get(site.url("formats.html"));
        String n = awaitSwap(browser);
        new WebDriverWait(browser, Duration.ofSeconds(5)).until(d -> !text("f1").equals(PRINTED));
        assertEquals(mirrored("+7 (495) 100-00-00", n), text("f1"));
        assertEquals(mirrored("8 495 100 00 00", n), text("f2"));
        assertEquals(mirrored("(495) 100-00-00", n), text("f3"));
        assertEquals(mirrored("+7-495-100-00-00", n), text("f4"));
        assertEquals(mirrored("84951000000", n), text("f5"));
        assertEquals(mirrored("+7\u00a0495\u00a0100\u00a000\u00a000", n).replace('\u00a0', ' '), text("f6").replace('\u00a0', ' '));
        assertEquals("Sales: " + mirrored("8.495.100.00.00", n) + ", daily", text("f7"));
        assertEquals("tel:" + n, attr("tel", "href"));
        assertEquals("tel:8" + n.substring(2), attr("tel8", "href"));
        assertEquals(mirrored("8 (495) 100-00-00", n), text("tel8"));
        assertEquals("https://wa.me/" + n.substring(1), attr("wa", "href"));
        assertEquals(mirrored("+7 (495) 100-00-00", n), text("split"), "a number split across inline elements");
        assertEquals("tel:" + n, attr("split", "href"));
        assertEquals("Order 49510000001234 and +7 (495) 999-99-99 stay as they are.", text("other"));
        assertEquals(PRINTED, attr("ta", "value"), "form fields are left alone");
        assertEquals(PRINTED, text("editable"), "editable content is left alone");
    }

    private Object js(String script) {
        return browser.executeScript(script);
    }

    @Test
    void shadowRootsMessengerLinksAndLabelsAreSwappedButNotFieldsOrScripts() {
        browser.get(site.url("reach.html"));
        String n = awaitSwap(browser);
        String shown = mirrored(PRINTED, n);
        new WebDriverWait(browser, Duration.ofSeconds(5)).until(d -> attr("labelled", "title").equals("Call " + shown));
        String shadow = "return document.getElementById('card').shadowRoot.getElementById";
        assertEquals("Call " + shown, js(shadow + "('shadow-text').textContent"), "inside an open shadow root");
        assertEquals("tel:" + n, js(shadow + "('shadow-tel').getAttribute('href')"));
        assertEquals("viber://chat?number=%2B" + n.substring(1), attr("viber", "href"));
        assertEquals("https://t.me/+" + n.substring(1), attr("tg", "href"));
        assertEquals("https://t.me/+AbCdEf74951000000", attr("tg-invite", "href"), "an invite link is no number");
        assertEquals("Call " + mirrored("8 495 100 00 00", n), attr("labelled", "aria-label"));
        assertEquals(PRINTED, attr("field", "value"), "form fields are left alone");
        assertEquals(PRINTED, attr("field", "title"), "form fields are left alone, attributes too");
        assertEquals("var alsoInline = '+7 (495) 100-00-00';", js("return document.getElementById('inline').textContent"));
        assertEquals(PRINTED, js("return window.inlinePhone"));
        // a shadow root added later, and its content
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> shown.equals(js(
                "var h = document.getElementById('late-host'); return h && h.shadowRoot.querySelector('span').textContent")));
        assertEquals(List.of(), scriptErrors());
    }

    @Test
    void aFirstViewAsksForItsNumberBeforeAnythingElseOverThePreconnectedLink() {
        io.calltrack.support.Visits.start("demo", "https://demo.example/"); // a warm service, as a live one is
        SwapTiming first = SwapTiming.view(browser, site);
        System.out.printf(java.util.Locale.ROOT, "first view: swap %.1f ms after the script arrived (%.1f ms before "
                + "the session request, %.1f ms in it)%n", first.afterScript(), first.beforeRequest(), first.inRequest());
        assertTrue(first.sessionStarted() >= first.scriptArrived() && first.swapped() >= first.sessionAnswered(), first.toString());
        assertFalse(first.newConnection(), "the embed code's preconnect hint opened the session request's connection: " + first);
        SwapTiming repeat = SwapTiming.view(browser, site);
        System.out.printf(java.util.Locale.ROOT, "repeat view: swap %.1f ms after the script arrived%n", repeat.afterScript());
        assertTrue(repeat.swapped() < repeat.sessionStarted() || Double.isNaN(repeat.sessionStarted()),
                "a repeat view swaps from the stored visit before any request: " + repeat);
    }

    @Test
    void numbersAddedAfterLoadAreSwapped() {
        browser.get(site.url("late.html"));
        String n = awaitSwap(browser);
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> !d.findElements(By.id("late-tel")).isEmpty()
                && !text("late-tel").equals(PRINTED));
        assertEquals(mirrored(PRINTED, n), text("late-tel"));
        assertEquals("tel:" + n, attr("late-tel", "href"));
    }

    @Test
    void singlePageAppRouteChangeIsSwapped() {
        browser.get(site.url("spa.html"));
        String n = awaitSwap(browser);
        browser.findElement(By.id("to-contacts")).click();
        new WebDriverWait(browser, Duration.ofSeconds(5)).until(d -> !d.findElements(By.id("contacts")).isEmpty()
                && !text("contacts").contains("100-00-00"));
        assertEquals("Contacts: " + mirrored("8 (495) 100-00-00", n) + ", mon-fri", text("contacts"));
    }

    @Test
    void secondPageViewSwapsFromTheStoredVisitWithoutTheNetwork() {
        browser.get(site.url("plain.html"));
        String n = awaitSwap(browser);
        // same site, same visitor; this time the tracker's API does not answer at all
        browser.get(site.url("plain.html?dead"));
        new WebDriverWait(browser, Duration.ofSeconds(2)).until(d -> text("plain").equals(mirrored(PRINTED, n)));
        assertEquals(List.of(), scriptErrors());
    }

    @Test
    void trackerDownLeavesTheOriginalNumbersAndNoScriptError() throws InterruptedException {
        browser.get(site.url("formats.html?dead"));
        Thread.sleep(2_500); // longer than the script's 1.5 s request timeout
        assertEquals(PRINTED, text("f1"));
        assertEquals("tel:+74951000000", attr("tel", "href"));
        assertEquals(List.of(), scriptErrors());
    }

    @Test
    void twoVisitorsGetDifferentNumbers() {
        ChromeDriver other = Browsers.start();
        try {
            browser.get(site.url("plain.html"));
            other.get(site.url("plain.html"));
            assertNotEquals(awaitSwap(browser), awaitSwap(other));
        } finally {
            other.quit();
        }
    }

    @Test
    void organicVisitSeesTheStaticNumber() {
        browser.get(site.url("plain.html?utm_source=google&utm_medium=organic"));
        assertEquals("+74952000001", awaitSwap(browser));
        new WebDriverWait(browser, Duration.ofSeconds(5)).until(d -> text("plain").equals("+7 (495) 200-00-01"));
    }
}
