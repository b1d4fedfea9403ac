package io.calltrack.support;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;
import java.util.Map;

/**
 * One view of pages/timing.html (the README's embed code, and a record of when the printed number first
 * changed), read back from the page's Performance API: every time is milliseconds since navigation start.
 *
 * @param scriptArrived  the tracker script's responseEnd
 * @param sessionStarted the session request's startTime (NaN on a repeat view, which sends none before the swap)
 * @param sessionAnswered its responseEnd
 * @param swapped        the first change of the printed number
 * @param newConnection  whether the session request had to open a connection (the preconnect hint saves that)
 */
public record SwapTiming(double scriptArrived, double sessionStarted, double sessionAnswered, double swapped,
                         boolean newConnection) {

    /** Loads the page and waits for the swap. */
    @SuppressWarnings("unchecked")
    public static SwapTiming view(WebDriver browser, CustomerSite site) {
        browser.get(site.url("timing.html"));
        JavascriptExecutor js = (JavascriptExecutor) browser;
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> js.executeScript("return window.swappedAt") != null);
        Map<String, Object> t = (Map<String, Object>) js.executeScript("""
                const all = performance.getEntriesByType('resource');
                const script = all.find(e => e.name.includes('/s/')), session = all.find(e => e.name.endsWith('/v1/sessions'));
                return { script: script.responseEnd, start: session ? session.startTime : NaN,
                  end: session ? session.responseEnd : NaN, swapped: window.swappedAt,
                  connect: session ? session.connectEnd - session.connectStart : 0,
                  connectStart: session ? session.connectStart : 0, fetchStart: session ? session.fetchStart : 0 };""");
        return new SwapTiming(num(t.get("script")), num(t.get("start")), num(t.get("end")), num(t.get("swapped")),
                num(t.get("connectStart")) > num(t.get("fetchStart")) || num(t.get("connect")) > 0);
    }

    /** One plain GET from the page to the service (its liveness check), start to response end: the floor. */
    public static double roundTrip(WebDriver browser, String api) {
        Object ms = ((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1], url = arguments[0] + '/q/health/live?' + Math.random();
                // the timing entry is added once the body is in, after the fetch resolves
                const read = () => { const e = performance.getEntriesByName(url)[0];
                  e ? done(e.responseEnd - e.startTime) : setTimeout(read, 5); };
                fetch(url, { mode: 'no-cors', credentials: 'omit' }).then(read, () => done(NaN));""", api);
        return num(ms);
    }

    /** From the script's arrival to the swap: what the visitor sees of the tracker. */
    public double afterScript() {
        return swapped - scriptArrived;
    }

    /** From the script's arrival to the session request's start: the script's own work before it asks. */
    public double beforeRequest() {
        return sessionStarted - scriptArrived;
    }

    public double inRequest() {
        return sessionAnswered - sessionStarted;
    }

    private static double num(Object o) {
        return o == null ? Double.NaN : ((Number) o).doubleValue();
    }
}
