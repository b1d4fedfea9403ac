package io.calltrack.console;

import io.calltrack.report.ReportDays;
import io.calltrack.support.Api;
import io.calltrack.support.Browsers;
import io.calltrack.support.PoolFixture;
import io.calltrack.support.Visits;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console in real Chromium, signed in with keys of each role, on data made through the API: every page
 * opened, screenshotted (target/console-screenshots) and checked with axe-core; a filter, a call, an outcome,
 * a number drained and re-activated, a broken file checked by line, a key revoked; Russian; 360 px.
 */
@QuarkusTest
class ConsoleBrowserTest {

    static final Path SHOTS = Path.of("target", "console-screenshots");

    @TestHTTPResource("/console/")
    URL console;
    @Inject
    PoolFixture fixture;
    @Inject
    ReportDays days;
    @Inject
    io.vertx.mutiny.sqlclient.Pool db;
    /** The service's time: earlier tests move it ahead of the wall clock. */
    @Inject
    io.calltrack.support.TestClock clock;

    ChromeDriver browser;
    String campaign;

    @BeforeEach
    void open() {
        fixture.fresh("demo-visits");
        campaign = "console-" + UUID.randomUUID().toString().substring(0, 8);
        browser = Browsers.start();
        browser.manage().window().setSize(new Dimension(1280, 900));
    }

    @AfterEach
    void close() {
        browser.quit();
    }

    private static String key(String name, String role, String site) {
        return Api.given().contentType("application/json")
                .body("{\"name\":\"" + name + "\",\"role\":\"" + role + "\"" + (site == null ? "" : ",\"site\":\"" + site + "\"") + "}")
                .when().post("/v1/admin/keys").then().statusCode(201).extract().path("secret");
    }

    /** A visit from a paid campaign that gets a number, and a call to it answered by 101: through the API as a site and PBX would. */
    private long visitAndCall() {
        // a visitor of its own address: the suite's other visits from this machine count against one address's leases
        String number = RestAssured.given().contentType("text/plain").header("User-Agent", Browsers.DESKTOP_CHROME)
                .header("Origin", "http://localhost").header("X-Forwarded-For", "10.77." + (int) (Math.random() * 250) + "." + (int) (Math.random() * 250)).body("{\"siteKey\":\"demo\",\"visitorId\":\"" + Visits.newVisitorId()
                        + "\",\"url\":\"http://localhost/pipes?utm_source=yandex&utm_medium=cpc&utm_campaign=" + campaign
                        + "&utm_term=blocked+drain\",\"referrer\":\"\",\"title\":\"Pipes\"}")
                .when().post("/v1/sessions").then().statusCode(200).body("numbers[0].leased", equalTo(true)).extract().path("numbers[0].number");
        // a person dials seconds after the page view, by when the visit is stored: under the whole suite's load its
        // batch can take a while
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> db.preparedQuery(
                "SELECT 1 FROM sessions WHERE campaign = $1").execute(io.vertx.mutiny.sqlclient.Tuple.of(campaign))
                .await().indefinitely().size() > 0);
        String id = UUID.randomUUID().toString();
        Instant at = clock.instant();
        event(id, "start", at, number, null);
        event(id, "answer", at.plusSeconds(5), null, "101");
        long call = event(id, "end", at.plusSeconds(95), null, null);
        days.passNow().await().indefinitely(); // the daily figures take in the call now, not at the next pass
        return call;
    }

    private static long event(String id, String type, Instant at, String did, String answeredBy) {
        return Api.given().contentType("application/json").body("{\"source\":\"console\",\"externalId\":\"" + id + "\",\"type\":\"" + type
                        + "\",\"at\":\"" + at + "\"" + (did == null ? "" : ",\"did\":\"" + did + "\",\"caller\":\"+79161234567\"")
                        + (answeredBy == null ? "" : ",\"answeredBy\":\"" + answeredBy + "\"") + "}")
                .when().post("/v1/calls/events").then().statusCode(200).extract().jsonPath().getLong("callId");
    }

    private WebDriverWait waiting() {
        // pages re-render after each change: an element found a moment ago may be gone
        return (WebDriverWait) new WebDriverWait(browser, Duration.ofSeconds(15)).ignoring(StaleElementReferenceException.class);
    }

    private void signIn(String key) {
        browser.get(console.toString());
        waiting().until(d -> !d.findElements(By.id("key")).isEmpty());
        browser.findElement(By.id("key")).sendKeys(key);
        browser.findElement(By.cssSelector("form.signin button")).click();
        waiting().until(d -> !d.findElements(By.cssSelector("#nav a")).isEmpty());
    }

    /** Opens a page by its link and waits for its heading (and any chart) to be drawn. */
    private void page(String hash, String heading) {
        browser.get(console + "#/" + hash);
        browser.navigate().refresh();
        // the heading is drawn with the page's data, after "Loading…"
        waiting().until(d -> d.findElements(By.cssSelector("main h1")).stream().anyMatch(h -> h.getText().equals(heading)));
    }

    private void shot(String name) {
        try {
            Files.createDirectories(SHOTS);
            Files.write(SHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** axe-core's violations of impact serious or critical on the page as it is. */
    private void accessible(String name) {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/resources/webjars/axe-core/4.6.3/axe.min.js")) {
            browser.executeScript(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Object found = browser.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations"
                + ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
                + ".map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at ' + v.nodes.map(n => n.target.join(' ')).join(', ')))).catch(e => done(['axe failed: ' + e]));");
        assertEquals(List.of(), found, name + ": accessibility violations");
    }

    private void visit(String hash, String heading, String name) {
        page(hash, heading);
        assertFalse(main().contains("[object "), name + " shows a script object instead of its content: " + main());
        assertTrue(browser.findElement(By.id("status")).getText().isEmpty(), name + ": " + browser.findElement(By.id("status")).getText());
        shot(name);
        accessible(name);
    }

    private String main() {
        return browser.findElement(By.id("main")).getText();
    }

    private void click(String text) {
        WebElement button = waiting().until(d -> d.findElements(By.cssSelector("main button")).stream()
                .filter(b -> b.getText().equals(text)).findFirst().orElse(null));
        button.click();
    }

    /** Errors the page logged, other than the 401 of the first look for a session and the test's own refused requests. */
    private List<String> pageErrors() {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream().filter(e -> e.getLevel().intValue() >= 1000)
                .map(LogEntry::getMessage).filter(m -> !m.contains("status of 401") && !m.contains("status of 403")
                        && !m.contains("status of 422") && !m.contains("status of 400")).toList();
    }

    @Test
    void anAdminSeesAndDoesEverything() {
        long callId = visitAndCall();
        String throwaway = "to revoke " + campaign;
        key(throwaway, "read", null);
        signIn(key("console admin " + campaign, "admin", null));
        assertEquals(List.of("Overview", "Calls", "Channels", "Funnel and people", "Pools", "Telephony", "Settings"),
                browser.findElements(By.cssSelector("#nav a")).stream().map(WebElement::getText).toList());

        visit("overview", "Overview", "overview");
        assertTrue(main().contains("Last 30 days"), main());

        // the calls page with a filter, then the call
        visit("calls", "Calls", "calls");
        browser.findElement(By.name("campaign")).sendKeys(campaign);
        browser.findElement(By.cssSelector("form.filters button")).click();
        waiting().withMessage(() -> "the call as the API has it: " + Api.when().get("/v1/calls/" + callId).asString())
                .until(d -> d.findElements(By.cssSelector("main tbody tr")).size() == 1);
        browser.findElement(By.cssSelector("main tbody tr a")).click();
        waiting().until(d -> d.findElement(By.cssSelector("main h1")).getText().equals("Call " + callId));
        waiting().until(d -> main().contains("The visit"));
        assertTrue(main().contains("http://localhost/pipes?utm_source=yandex"), main());
        assertTrue(main().contains("LIVE_LEASE") && main().contains("HIGH"), main());
        assertTrue(browser.findElements(By.cssSelector("main .badge")).stream()
                        .anyMatch(b -> String.valueOf(b.getDomAttribute("title")).startsWith("Provisional")),
                "a probability still to be revised says so on hover");
        shot("call");
        accessible("call");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.name("status"))).selectByValue("DEAL");
        browser.findElement(By.name("value")).sendKeys("7000");
        browser.findElement(By.name("currency")).sendKeys("RUB");
        click("Save outcome");
        waiting().until(d -> d.findElement(By.id("status")).getText().equals("Saved."));
        Api.when().get("/v1/calls/" + callId).then().body("call.outcome.status", equalTo("DEAL"));
        days.passNow().await().indefinitely();

        visit("channels", "Channels", "channels");
        browser.findElement(By.cssSelector("main form.inline input[name=site]")).sendKeys("demo" + org.openqa.selenium.Keys.TAB);
        waiting().until(d -> d.findElement(By.id("spend-last")).getText().contains("No spend uploaded yet.")
                || d.findElement(By.id("spend-last")).getText().contains("Last upload"));
        // by keyword, in days of another zone (one behind UTC: the call of a moment ago is inside the range's last day)
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.name("groupBy"))).selectByValue("keyword");
        browser.findElement(By.name("tz")).sendKeys("America/New_York");
        browser.findElement(By.cssSelector("form.filters button")).click();
        waiting().withMessage(this::main).until(d -> main().contains("America/New_York") && main().contains("blocked drain"));
        visit("funnel", "Funnel and people", "funnel");
        assertTrue(main().contains("101"), "the operator who answered: " + main());

        // a pool: drain a number and put it back
        visit("pools", "Pools", "pools");
        visit("pools/demo-visits", "Pool demo-visits", "pool");
        assertTrue(main().contains("Utilisation, last 24 hours"), main());
        assertTrue(main().contains("At least (95%)"), "each size's accuracy at the fit's bound: " + main());
        String number = browser.findElement(By.xpath("//caption[text()='Numbers']/ancestor::table//tbody/tr[1]/td[1]")).getText();
        click("drain " + number);
        waiting().until(d -> d.findElements(By.cssSelector("main button")).stream().anyMatch(b -> b.getText().equals("activate " + number)));
        Api.when().get("/v1/admin/pools/demo-visits/numbers").then().body("find { it.number == '" + number + "' }.state", equalTo("DRAINING"));
        click("activate " + number);
        waiting().until(d -> d.findElements(By.cssSelector("main button")).stream().anyMatch(b -> b.getText().equals("drain " + number)));
        Api.when().get("/v1/admin/pools/demo-visits/numbers").then().body("find { it.number == '" + number + "' }.state", equalTo("ACTIVE"));

        visit("telephony", "Telephony", "telephony");

        // settings: a broken file's problems by line, and a key revoked
        visit("settings", "Settings", "settings");
        browser.findElement(By.id("yaml")).sendKeys("sites:\n  - key: demo\n    pools:\n      - id: x\n        kind: dynamite\n");
        click("Check");
        WebElement problems = waiting().until(d -> d.findElements(By.id("config-problems")).stream().findFirst().orElse(null));
        assertTrue(problems.getText().contains("line "), problems.getText());
        shot("settings-problems");
        click("Revoke " + throwaway);
        waiting().until(d -> main().contains("revoked"));
        Api.when().get("/v1/admin/keys").then().body("find { it.name == '" + throwaway + "' }.revokedAt", notNullValue());

        // Russian, with its number formats
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("lang"))).selectByValue("ru");
        page("calls/" + callId, "Звонок " + callId);
        waiting().until(d -> main().contains("Визит"));
        assertTrue(browser.findElements(By.cssSelector("#nav a")).stream().anyMatch(a -> a.getText().equals("Звонки")));
        page("channels", "Каналы");
        assertTrue(main().contains("7 000,00") || main().contains("7\u00a0000,00") || main().contains("7\u202f000,00"), main());
        shot("channels-ru");

        // a phone's width: nothing wider than the screen but the tables' own scroll boxes
        browser.manage().window().setSize(new Dimension(360, 740));
        page("calls", "Звонки");
        shot("calls-360");
        long width = (Long) browser.executeScript("return document.documentElement.scrollWidth");
        long viewport = (Long) browser.executeScript("return window.innerWidth");
        assertTrue(width <= viewport, "page " + width + " px wide at a " + viewport + " px window");
        assertEquals(List.of(), pageErrors());
    }

    @Test
    void aReadKeyChangesNothingAndASiteKeySeesOnlyItsSite() {
        long callId = visitAndCall();
        signIn(key("console reader " + campaign, "read", null));
        assertEquals(List.of("Overview", "Calls", "Channels", "Funnel and people"),
                browser.findElements(By.cssSelector("#nav a")).stream().map(WebElement::getText).toList());
        // the keyboard: the skip link is the first thing a Tab reaches; Enter on it moves to the content, the page
        // staying; from it, Tab reaches the menu and Enter opens a page
        page("overview", "Overview");
        assertEquals("Skip to content", browser.executeScript("return [...document.querySelectorAll('a[href], button, input, select, "
                + "textarea')].find(e => e.tabIndex >= 0).textContent"));
        WebElement skip = browser.findElement(By.cssSelector(".skip"));
        skip.sendKeys(org.openqa.selenium.Keys.ENTER);
        waiting().until(d -> "main".equals(d.switchTo().activeElement().getAttribute("id")));
        assertTrue(browser.getCurrentUrl().endsWith("#/overview"), browser.getCurrentUrl());
        skip.sendKeys(org.openqa.selenium.Keys.TAB); // focus is on the skip link again, then leaves it forwards
        assertEquals("Overview", browser.switchTo().activeElement().getText());
        browser.switchTo().activeElement().sendKeys(org.openqa.selenium.Keys.TAB);
        browser.switchTo().activeElement().sendKeys(org.openqa.selenium.Keys.ENTER);
        waiting().until(d -> d.findElement(By.cssSelector("main h1")).getText().equals("Calls"));
        page("calls/" + callId, "Call " + callId);
        assertTrue(browser.findElements(By.name("status")).isEmpty(), "no outcome form for a read key");
        Object status = browser.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "fetch('/console/session').then(r => r.json()).then(s => fetch('/v1/calls/" + callId + "/outcome', {method: 'PUT',"
                + " headers: {'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf}, body: '{\"status\":\"DEAL\"}'}))"
                + ".then(r => done(r.status));");
        assertEquals(403L, status);
        page("pools", "Pools");
        assertTrue(main().contains("Not allowed with this key."), main());
        Api.when().get("/v1/calls/" + callId).then().body("call.outcome", org.hamcrest.Matchers.nullValue());

        browser.findElement(By.id("signout")).click();
        waiting().until(d -> !d.findElements(By.id("key")).isEmpty());
        signIn(key("console writer " + campaign, "write", null));
        assertEquals(List.of("Overview", "Calls", "Channels", "Funnel and people"),
                browser.findElements(By.cssSelector("#nav a")).stream().map(WebElement::getText).toList());
        page("calls/" + callId, "Call " + callId);
        assertFalse(browser.findElements(By.name("status")).isEmpty(), "a write key edits the outcome");

        browser.findElement(By.id("signout")).click();
        waiting().until(d -> !d.findElements(By.id("key")).isEmpty());
        signIn(key("console shop " + campaign, "read", "shop"));
        page("calls", "Calls");
        browser.findElement(By.name("campaign")).sendKeys(campaign);
        browser.findElement(By.cssSelector("form.filters button")).click();
        waiting().until(d -> main().contains("No calls match."));
        page("calls/" + callId, "Calls");
        waiting().until(d -> !d.findElement(By.id("status")).getText().isEmpty());
        assertTrue(browser.findElement(By.id("status")).getText().contains("no call"), browser.findElement(By.id("status")).getText());
        shot("site-limited");
    }
}
