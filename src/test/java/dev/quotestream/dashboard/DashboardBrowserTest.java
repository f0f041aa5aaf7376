package dev.quotestream.dashboard;

import dev.quotestream.pipeline.PipelineRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live page in a real browser: the application in the local profile with its market simulator (a short
 * fetch period and a 1-second simulator tick), the page opened in headless Chromium.
 */
class DashboardBrowserTest {

    private static final List<String> SYMBOLS = List.of("AAPL", "GOOGL", "MSFT", "AMZN", "NVDA");
    private static final long FETCH_PERIOD_MS = 3000;
    private static final long POLL_MS = 500;
    static final Path SCREENSHOT = Path.of("target", "dashboard.png");

    @Test
    void tilesMovingPricesAnAnomalyInTheFeedAndTheLargerChart(@TempDir Path data, @TempDir Path browserProfile)
            throws Exception {
        Map<String, String> p = PipelineRunner.fastLocalProperties(data, PipelineRunner.freePort());
        p.put("quotes.symbols", String.join(",", SYMBOLS));
        p.put("quotes.fetch-period-ms", String.valueOf(FETCH_PERIOD_MS));
        p.put("quotes.initial-delay-ms", "0");
        p.put("simulator.tick-seconds", "1");
        p.put("simulator.jump-window-ticks", "3");
        p.put("dashboard.poll-ms", String.valueOf(POLL_MS));
        p.put("dashboard.port", "0");
        ChromeDriver browser = Chromium.start(browserProfile);
        try (PipelineRunner app = PipelineRunner.start(p)) {
            Http http = new Http(app.context());
            browser.get(http.base + "/");
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60), Duration.ofMillis(100));

            // A tile per configured symbol, each with a price.
            wait.until(d -> d.findElements(By.cssSelector(".tile")).size() == SYMBOLS.size()
                    && prices(d.findElements(By.cssSelector(".tile"))).values().stream().noneMatch("–"::equals));
            Map<String, String> before = prices(browser.findElements(By.cssSelector(".tile")));
            assertThat(before.keySet()).containsExactlyInAnyOrderElementsOf(SYMBOLS);

            // A price changes within two fetch periods (plus one poll of the page).
            Instant seen = Instant.now();
            Duration bound = Duration.ofMillis(2 * FETCH_PERIOD_MS + POLL_MS);
            new WebDriverWait(browser, bound, Duration.ofMillis(50)).until(d -> {
                Map<String, String> now = prices(d.findElements(By.cssSelector(".tile")));
                return SYMBOLS.stream().anyMatch(s -> !now.get(s).equals(before.get(s)));
            });
            Duration took = Duration.between(seen, Instant.now());
            System.out.println("A price changed on the page after " + took.toMillis() + " ms (bound " + bound.toMillis() + " ms)");

            // An anomaly: an alert in the feed and the badge on a tile.
            // The page rebuilds the feed on every poll: the item is read in one go, again if a poll replaced it.
            String[] alert = new String[2];
            wait.ignoring(StaleElementReferenceException.class).until(d -> {
                List<WebElement> items = d.findElements(By.cssSelector("#feed li"));
                if (items.isEmpty()) {
                    return false;
                }
                alert[0] = items.get(0).getAttribute("data-symbol");
                alert[1] = items.get(0).getText();
                return true;
            });
            assertThat(alert[0]).isIn(SYMBOLS);
            assertThat(alert[1]).contains(alert[0] + " moved").contains("%");
            wait.until(d -> !d.findElements(By.cssSelector(".tile .badge:not([hidden])")).isEmpty());

            // The status strip: a fetch per symbol, the breaker, no dead letters, healthy sinks.
            wait.until(d -> d.findElements(By.cssSelector("#fetches .fetch .ok")).size() == SYMBOLS.size());
            assertThat(browser.findElement(By.id("breaker")).getText()).startsWith("CLOSED");
            assertThat(browser.findElement(By.id("dead")).getText()).isEqualTo("0");
            assertThat(browser.findElement(By.id("quarantined")).getText()).isEqualTo("none");
            assertThat(browser.findElement(By.id("sinks")).getText()).isEqualTo("all ok");
            assertThat(browser.findElement(By.id("health")).getText()).isEqualTo("healthy");
            assertThat(browser.findElement(By.id("lag")).getText()).matches("\\d+(\\.\\d)? m?s.*");

            // A click opens the larger chart of that symbol.
            browser.findElement(By.cssSelector(".tile[data-symbol='MSFT']")).click();
            wait.until(d -> d.findElement(By.id("detail")).isDisplayed()
                    && !d.findElements(By.cssSelector("#detail-chart canvas")).isEmpty());
            assertThat(browser.findElement(By.id("detail-title")).getText()).isEqualTo("MSFT");
            assertThat(browser.findElement(By.cssSelector("#detail-chart canvas")).getSize().getWidth()).isGreaterThan(300);

            // Strings from data are text, never markup: an alert whose message carries an element.
            String hostile = "<img src=x onerror=\"window.__injected=1\"> & <b>bold</b>";
            String json = DashboardApi.json(Map.of("symbol", "AAPL", "timestamp", Instant.now().truncatedTo(
                    java.time.temporal.ChronoUnit.SECONDS).toString(), "crossing", 9, "change_percent", -6.5,
                    "severity", "warning", "message", hostile));
            app.context().getRegistry().lookupByNameAndType("alertLog", AlertLog.class).append(json);
            wait.until(d -> d.findElement(By.id("feed")).getText().contains(hostile));
            assertThat(browser.findElements(By.cssSelector("#feed img, #feed b"))).isEmpty();
            assertThat(((JavascriptExecutor) browser).executeScript("return window.__injected === undefined")).isEqualTo(true);
            assertThat(browser.findElement(By.id("error")).isDisplayed()).isFalse();

            Files.createDirectories(SCREENSHOT.getParent());
            Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            browser.quit();
        }
    }

    private static Map<String, String> prices(List<WebElement> tiles) {
        Map<String, String> out = new HashMap<>();
        for (WebElement t : tiles) {
            out.put(t.getAttribute("data-symbol"), t.findElement(By.cssSelector(".price")).getText());
        }
        return out;
    }
}
