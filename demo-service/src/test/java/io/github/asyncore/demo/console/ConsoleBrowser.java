package io.github.asyncore.demo.console;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, which {@code .ci/run}
 * installs) looking at the console. A missing browser fails the test rather than skipping it: the console's
 * acceptance is these tests.
 */
final class ConsoleBrowser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    /**
     * The one browser message a healthy console may log at SEVERE: the network error of a channel's detail
     * asked for just as the channel closed (the page reads the list, then the selected channel; a channel
     * can close in between). Chromium logs every 404 of a fetch, handled or not; the page then shows the
     * channel as closed. Anything else at SEVERE (a script error, a CSP violation, another failed request)
     * fails the test.
     */
    private static final Pattern CLOSED_CHANNEL_DETAIL = Pattern
        .compile("^http://127\\.0\\.0\\.1:\\d+/actuator/channels/\\d+(\\?mode=\\w+)? - Failed to load resource: "
                + "the server responded with a status of 404 \\(Not Found\\)$");

    private final ChromeDriver driver;

    ConsoleBrowser() {
        assertThat(Files.isExecutable(CHROMIUM)).as("%s (apt-get install chromium; .ci/run does)", CHROMIUM).isTrue();
        assertThat(Files.isExecutable(CHROMEDRIVER)).as("%s (apt-get install chromium-driver; .ci/run does)",
                CHROMEDRIVER).isTrue();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--disable-background-networking", "--disable-sync", "--window-size=1280,800");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
        this.driver = new ChromeDriver(service, options);
        this.driver.manage().window().setSize(new Dimension(1280, 800));
        this.driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
        this.driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    }

    ChromeDriver driver() {
        return this.driver;
    }

    void open(String url) {
        this.driver.get(url);
    }

    /**
     * @return the channel table's row whose remote address is {@code remote}, or {@code null}; looked up in
     *         one script so that a refresh of the table cannot slip in between the rows and their cells
     */
    @Nullable WebElement rowWithRemote(String remote) {
        Object row = this.driver.executeScript("""
                return [...document.querySelectorAll('#channels tbody tr[data-id]')]
                    .find((row) => row.querySelector("td[data-col='remoteAddress']")?.textContent === arguments[0])
                    || null;""", remote);
        return (row instanceof WebElement element) ? element : null;
    }

    /** @return the raw number behind a cell of a row, such as {@code bytesRead} */
    static long value(WebElement row, String column) {
        return Long.parseLong(row.findElement(By.cssSelector("td[data-col='" + column + "']")).getDomAttribute("data-value"));
    }

    /** @return every browser console message at SEVERE since the last call, but a closed channel's 404 */
    List<String> severeMessages() {
        return this.driver.manage()
            .logs()
            .get(LogType.BROWSER)
            .getAll()
            .stream()
            .filter((entry) -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
            .map(LogEntry::getMessage)
            .filter((message) -> !CLOSED_CHANNEL_DETAIL.matcher(message).matches())
            .toList();
    }

    /** Leaves the console for an empty page, which stops its polling. */
    void leave() {
        this.driver.get("about:blank");
    }

    @Override
    public void close() {
        this.driver.quit();
    }

}
