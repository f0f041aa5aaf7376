package dev.quotestream.dashboard;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Headless Debian Chromium driven through Debian's chromedriver (both installed by .ci/install-tools).
 * Selenium is given both paths, so it never looks for (or downloads) a browser of its own. Missing in CI
 * (CI=true): the test fails; elsewhere it is skipped with a message saying how to install them.
 */
final class Chromium {

    static final String BROWSER = System.getProperty("browser.chromium", "/usr/bin/chromium");
    static final String DRIVER = System.getProperty("browser.chromedriver", "/usr/bin/chromedriver");

    private Chromium() {
    }

    static ChromeDriver start(Path profileDir) throws IOException {
        boolean present = Files.isExecutable(Path.of(BROWSER)) && Files.isExecutable(Path.of(DRIVER));
        if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("CI must run the browser test, but " + BROWSER + " or " + DRIVER
                    + " is missing: .ci/install-tools should have installed Debian's chromium and chromium-driver");
        }
        Assumptions.assumeTrue(present, "Skipped: no " + BROWSER + " / " + DRIVER + " (run .ci/install-tools as "
                + "root, or apt-get install chromium chromium-driver)");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER);
        // The flags this machine needs: no sandbox as root, and no background traffic to a closed network.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1000", "--user-data-dir=" + profileDir);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER))
                .usingAnyFreePort()
                .withLogFile(Path.of("target", "chromedriver.log").toFile())
                .build();
        return new ChromeDriver(service, options);
    }
}
