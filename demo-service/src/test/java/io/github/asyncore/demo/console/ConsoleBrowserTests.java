package io.github.asyncore.demo.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.github.asyncore.demo.e2e.DemoTest;
import io.github.asyncore.demo.echo.EchoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;
import static org.awaitility.Awaitility.await;

/**
 * The operator's console in a real headless Chromium against the running demo (console on, as in its
 * application.yml; the demo allows closing channels), with real loopback clients of its echo listener.
 * Every test ends with no error in the browser's console.
 */
@DemoTest
class ConsoleBrowserTests {

    /** The issue's bound for a new connection to show. */
    private static final Duration ROW_APPEARS = Duration.ofSeconds(2);

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static final Duration POLL = Duration.ofMillis(50);

    private static ConsoleBrowser browser;

    @LocalManagementPort
    private int managementPort;

    @Autowired
    private EchoServer echoServer;

    @BeforeAll
    static void startBrowser() {
        browser = new ConsoleBrowser();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void openConsole() {
        browser.open("http://127.0.0.1:" + this.managementPort + "/asyncore/");
        await().atMost(WAIT).pollInterval(POLL).until(() -> browser.driver()
            .findElement(By.id("status"))
            .getText()
            .startsWith("Updated"));
        // prove that the browser's log reaches the test, and start each test with an empty log
        browser.driver().executeScript("console.error('log capture check')");
        assertThat(browser.severeMessages()).as("the browser's log since the page loaded")
            .singleElement(STRING)
            .endsWith("\"log capture check\"");
    }

    @AfterEach
    void noErrorsInTheBrowserConsole() {
        List<String> severe = browser.severeMessages();
        browser.leave(); // a page left open would go on polling a server the next test may have stopped
        assertThat(severe).as("SEVERE messages in the browser's console").isEmpty();
    }

    @Test
    void showsARowForANewConnectionWithinTwoSeconds() throws IOException {
        try (Socket client = connect()) {
            WebElement row = await().atMost(ROW_APPEARS).pollInterval(POLL).until(() -> browser.rowWithRemote(remote(client)),
                    (found) -> found != null);
            assertThat(cell(row, "kind")).isEqualTo("CONNECTION");
            assertThat(cell(row, "state")).isEqualTo("CONNECTED");
            assertThat(cell(row, "name")).startsWith("echoServer#");
            assertThat(cell(row, "localAddress")).isEqualTo(remote(this.echoServer.getLocalAddress()));
            await().atMost(WAIT).pollInterval(POLL).untilAsserted(() -> assertThat(
                    cell(browser.rowWithRemote(remote(client)), "interest")).isEqualTo("R ·"));
        }
    }

    @Test
    void bytesGrowWhileTheClientSends() throws IOException {
        try (Socket client = connect()) {
            OutputStream out = client.getOutputStream();
            InputStream in = client.getInputStream();
            await().atMost(ROW_APPEARS).pollInterval(POLL).until(() -> browser.rowWithRemote(remote(client)) != null);
            AtomicLong seen = new AtomicLong();
            for (int round = 0; round < 3; round++) {
                byte[] chunk = ("round " + round + " of bytes for the console\n").repeat(20).getBytes(StandardCharsets.US_ASCII);
                out.write(chunk);
                out.flush();
                in.readNBytes(chunk.length); // the echo, so that nothing waits on either side
                long before = seen.get();
                await().atMost(WAIT).pollInterval(POLL).untilAsserted(() -> {
                    WebElement row = browser.rowWithRemote(remote(client));
                    assertThat(row).isNotNull();
                    long read = ConsoleBrowser.value(row, "bytesRead");
                    assertThat(read).isGreaterThan(before);
                    assertThat(ConsoleBrowser.value(row, "bytesWritten")).isEqualTo(read);
                    seen.set(read);
                });
            }
            assertThat(seen.get()).isGreaterThanOrEqualTo(3 * 20 * 30L);
        }
    }

    @Test
    void theRowDisappearsWhenTheClientCloses() throws IOException {
        Socket client = connect();
        String remote = remote(client);
        await().atMost(ROW_APPEARS).pollInterval(POLL).until(() -> browser.rowWithRemote(remote) != null);
        browser.rowWithRemote(remote).click(); // selected: the detail pane follows it to its end
        await().atMost(WAIT).pollInterval(POLL).until(() -> browser.driver()
            .findElement(By.id("detail-title")).getText().contains("echoServer#"));
        client.close();
        await().atMost(WAIT).pollInterval(POLL).until(() -> browser.rowWithRemote(remote) == null);
        await().atMost(WAIT).pollInterval(POLL).until(() -> browser.driver().findElement(By.id("detail-gone")).isDisplayed());
    }

    @Test
    void theAbortButtonResetsTheConnection() throws IOException {
        try (Socket client = connect()) {
            client.setSoTimeout((int) WAIT.toMillis());
            String remote = remote(client);
            await().atMost(ROW_APPEARS).pollInterval(POLL).until(() -> browser.rowWithRemote(remote) != null);
            browser.rowWithRemote(remote).click();
            WebElement abort = await().atMost(WAIT).pollInterval(POLL).until(
                    () -> browser.driver().findElement(By.cssSelector("#detail-actions button[data-action='abort']")),
                    WebElement::isDisplayed);
            abort.click();
            assertThatExceptionOfType(SocketException.class).as("the client's read after an abort")
                .isThrownBy(() -> client.getInputStream().read())
                .withMessageContaining("Connection reset");
            await().atMost(WAIT).pollInterval(POLL).until(() -> browser.rowWithRemote(remote) == null);
        }
    }

    @Test
    void sortsByAColumnWhenItsHeaderIsClicked() throws IOException {
        try (Socket first = connect(); Socket second = connect()) {
            await().atMost(ROW_APPEARS).pollInterval(POLL).until(() -> browser.rowWithRemote(remote(first)) != null
                    && browser.rowWithRemote(remote(second)) != null);
            WebElement idHeader = browser.driver().findElement(By.cssSelector("th[data-sort='id']"));
            assertThat(idHeader.getDomAttribute("aria-sort")).isEqualTo("ascending");
            idHeader.click();
            assertThat(idHeader.getDomAttribute("aria-sort")).isEqualTo("descending");
            long top = Long.parseLong(browser.driver().findElement(By.cssSelector("#channels tbody tr[data-id]"))
                .getDomAttribute("data-id"));
            long newest = Math.max(id(first), id(second));
            assertThat(top).isEqualTo(newest);
        }
    }

    @Test
    void filtersByKind() throws IOException {
        try (Socket client = connect()) {
            await().atMost(ROW_APPEARS).pollInterval(POLL).until(() -> browser.rowWithRemote(remote(client)) != null);
            new Select(browser.driver().findElement(By.id("filter-kind"))).selectByValue("LISTENER");
            assertThat(browser.rowWithRemote(remote(client))).as("a connection, filtered out").isNull();
            assertThat(browser.driver().findElements(By.cssSelector("#channels tbody tr[data-id]")))
                .isNotEmpty()
                .allSatisfy((row) -> assertThat(row.getDomAttribute("data-kind")).isEqualTo("LISTENER"));
            new Select(browser.driver().findElement(By.id("filter-kind"))).selectByValue("");
            assertThat(browser.rowWithRemote(remote(client))).isNotNull();
        }
    }

    private long id(Socket client) {
        return Long.parseLong(browser.rowWithRemote(remote(client)).getDomAttribute("data-id"));
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(this.echoServer.getLocalAddress(), (int) WAIT.toMillis());
        return socket;
    }

    private static String remote(Socket client) {
        return remote(client.getLocalSocketAddress());
    }

    private static String remote(java.net.SocketAddress address) {
        InetSocketAddress inet = (InetSocketAddress) address;
        return inet.getAddress().getHostAddress() + ":" + inet.getPort();
    }

    private static String cell(WebElement row, String column) {
        return row.findElement(By.cssSelector("td[data-col='" + column + "']")).getText();
    }

}
