package io.nemotron4j.spring.admin.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) driven through WebDriver, with a
 * fresh profile each time. The binaries default to {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver};
 * the system properties {@code nemotron4j.chromium} and {@code nemotron4j.chromedriver} point elsewhere. Without
 * them the tests fail and say what to install: they never skip.
 */
final class Browser implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final Path profile;

    private final ChromeDriver driver;

    private final WebDriverWait wait;

    /**
     * Starts the browser.
     * @param width window width in CSS pixels
     * @param height window height in CSS pixels
     */
    Browser(int width, int height) {
        Path chromium = binary("nemotron4j.chromium", "/usr/bin/chromium");
        Path chromedriver = binary("nemotron4j.chromedriver", "/usr/bin/chromedriver");
        try {
            this.profile = Files.createTempDirectory("n4j-chromium-");
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        ChromeOptions options = new ChromeOptions().setBinary(chromium.toFile())
            .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--hide-scrollbars", "--force-device-scale-factor=1",
                    "--user-data-dir=" + this.profile, "--window-size=" + width + "," + height);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
            .usingAnyFreePort()
            .build();
        this.driver = new ChromeDriver(service, options);
        this.driver.manage().window().setSize(new Dimension(width, height));
        this.wait = new WebDriverWait(this.driver, WAIT);
    }

    private static Path binary(String property, String fallback) {
        Path path = Path.of(System.getProperty(property, fallback));
        if (!Files.isExecutable(path)) {
            throw new IllegalStateException(path + " is missing: the browser tests run Debian's Chromium. Install it "
                    + "with 'apt-get install -y chromium chromium-driver', or set -D" + property + "=/path/to/it");
        }
        return path;
    }

    /** Opens a URL. */
    void open(String url) {
        this.driver.get(url);
    }

    /** Waits until an element is visible and returns it. */
    WebElement visible(By by) {
        return this.wait.until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /** Waits until an element's text contains the given text and returns that text. */
    String waitForText(By by, String text) {
        this.wait.until(ExpectedConditions.textToBePresentInElementLocated(by, text));
        return this.driver.findElement(by).getText();
    }

    /** Waits until the element is gone or hidden. */
    void gone(By by) {
        this.wait.until(ExpectedConditions.invisibilityOfElementLocated(by));
    }

    /** Waits until the URL fragment is the given one, e.g. {@code #/tenants}. */
    void atFragment(String fragment) {
        this.wait.until(d -> d.getCurrentUrl().endsWith(fragment));
    }

    /** Every element matching. */
    List<WebElement> all(By by) {
        return this.driver.findElements(by);
    }

    /** Replaces an input's value. */
    void type(By by, String text) {
        WebElement input = visible(by);
        input.clear();
        input.sendKeys(text);
    }

    /** Picks an option of a select by its visible text. */
    void choose(By by, String option) {
        new Select(visible(by)).selectByVisibleText(option);
    }

    /** Clicks an element once it is clickable. */
    void click(By by) {
        this.wait.until(ExpectedConditions.elementToBeClickable(by)).click();
    }

    /** Accepts the next confirm() dialog. */
    void acceptConfirm() {
        this.wait.until(ExpectedConditions.alertIsPresent()).accept();
    }

    /** Runs a script in the page. */
    Object script(String script, Object... args) {
        return ((JavascriptExecutor) this.driver).executeScript(script, args);
    }

    /** Sets the dashboard's theme as its toggle would, remembered for the pages opened next. */
    void theme(String theme) {
        script("localStorage.setItem('n4j-theme', arguments[0]);"
                + " document.documentElement.dataset.theme = arguments[0];", theme);
    }

    /**
     * Writes a PNG of the whole page at the given width, as tall as its content. The viewport is emulated through
     * the DevTools protocol: a window's size would include the browser's own chrome and cut the page short.
     */
    void screenshot(Path file, int width) {
        this.driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", 900, "deviceScaleFactor", 1, "mobile", false));
        // Measured at a normal height: the layout fills the viewport, so a tall one would only measure itself.
        long height = (Long) script("return Math.ceil(Math.max(document.documentElement.scrollHeight, "
                + "document.body.scrollHeight))");
        this.driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
        Map<String, Object> shot = this.driver.executeCdpCommand("Page.captureScreenshot",
                Map.of("format", "png", "captureBeyondViewport", false));
        this.driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The page's body text. */
    String pageText() {
        return this.driver.findElement(By.tagName("body")).getText();
    }

    /** The current URL. */
    String url() {
        return this.driver.getCurrentUrl();
    }

    @Override
    public void close() {
        try {
            this.driver.quit();
        }
        finally {
            try (Stream<Path> files = Files.walk(this.profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
    }

}
