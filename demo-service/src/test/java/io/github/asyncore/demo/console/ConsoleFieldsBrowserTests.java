package io.github.asyncore.demo.console;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The console against a stand-in {@code channels} endpoint that reports, besides today's fields, those the
 * issue adds (a loop's {@code busyFraction} and {@code handlerRuns}, a channel's {@code idleFor},
 * {@code diagnostics} and {@code events}), and a channel whose name is markup: the page shows each of them,
 * as text, and shows the close buttons only when the endpoint's access allows closing. asyncore itself is
 * off, so that the stand-in is the only {@code channels} endpoint.
 */
class ConsoleFieldsBrowserTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static final Duration POLL = Duration.ofMillis(50);

    static final String MARKUP_NAME = "<img src=x onerror=\"document.title='owned'\">#7";

    private static ConsoleBrowser browser;

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

    @AfterEach
    void noErrorsInTheBrowserConsole() {
        List<String> severe = browser.severeMessages();
        browser.leave(); // a page left open would go on polling a server the next test may have stopped
        assertThat(severe).as("SEVERE messages in the browser's console").isEmpty();
    }

    static void open(int port) {
        browser.open("http://127.0.0.1:" + port + "/asyncore/");
        await().atMost(WAIT).pollInterval(POLL)
            .until(() -> browser.driver().findElement(By.id("status")).getText().startsWith("Updated"));
    }

    static String text(String css) {
        return browser.driver().findElement(By.cssSelector(css)).getText();
    }

    @Nested
    @SpringBootTest(classes = StandInApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = { "asyncore.enabled=false", "server.address=127.0.0.1", "server.port=0",
                    "management.server.port=0", "management.server.address=127.0.0.1",
                    "management.endpoint.channels.access=unrestricted" })
    class Unrestricted {

        @LocalManagementPort
        int managementPort;

        @Test
        void showsTheNewLoopAndChannelFieldsAsText() {
            open(this.managementPort);
            await().atMost(WAIT).pollInterval(POLL).untilAsserted(() -> {
                assertThat(text(".loop [data-field='busy']")).isEqualTo("42 %");
                assertThat(text(".loop [data-field='eventRate']")).matches("\\d+(\\.\\d)?/s");
            });
            assertThat(text(".loop [data-field='stalls']")).isEqualTo("1");
            assertThat(text(".loop [data-field='pendingTasks']")).isEqualTo("3");
            WebElement row = browser.driver().findElement(By.cssSelector("#channels tbody tr[data-id='7']"));
            assertThat(row.findElement(By.cssSelector("td[data-col='name']")).getText()).isEqualTo(MARKUP_NAME);
            assertThat(browser.driver().findElements(By.cssSelector("img"))).as("markup from a name").isEmpty();
            assertThat(browser.driver().getTitle()).isEqualTo("asyncore console");
            assertThat(row.findElement(By.cssSelector("td[data-col='idleMillis']")).getText()).isEqualTo("3.2 s");
            assertThat(row.findElement(By.cssSelector("td[data-col='state']")).getText()).isEqualTo("⚠ CONNECTED");
            assertThat(row.findElement(By.cssSelector("td[data-col='interest']")).getText()).isEqualTo("R W");

            row.click();
            await().atMost(WAIT).pollInterval(POLL).untilAsserted(() -> assertThat(browser.driver()
                .findElements(By.cssSelector("#detail-events tbody tr"))).hasSize(3));
            List<WebElement> events = browser.driver().findElements(By.cssSelector("#detail-events tbody tr"));
            assertThat(events.get(0).getText()).as("newest first").contains("READ_PAUSED", "pending output over 64 KiB");
            assertThat(events.get(2).getText()).contains("OPENED");
            assertThat(text("#detail-diagnostics")).contains("writable() stayed true");
            assertThat(browser.driver().findElement(By.cssSelector("#detail-actions button[data-action='drain']"))
                .isDisplayed()).isTrue();
            assertThat(browser.driver().findElement(By.cssSelector("#detail-actions button[data-action='abort']"))
                .isDisplayed()).isTrue();
        }

    }

    @Nested
    @SpringBootTest(classes = StandInApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = { "asyncore.enabled=false", "server.address=127.0.0.1", "server.port=0",
                    "management.server.port=0", "management.server.address=127.0.0.1",
                    "management.endpoint.channels.access=read-only" })
    class ReadOnly {

        @LocalManagementPort
        int managementPort;

        @Test
        void showsNoCloseButtons() {
            open(this.managementPort);
            browser.driver().findElement(By.cssSelector("#channels tbody tr[data-id='7']")).click();
            await().atMost(WAIT).pollInterval(POLL).untilAsserted(() -> assertThat(browser.driver()
                .findElements(By.cssSelector("#detail-events tbody tr"))).hasSize(3));
            assertThat(browser.driver().findElement(By.id("detail-actions")).isDisplayed()).isFalse();
            assertThat(text("#status")).contains("read-only");
        }

    }

    /**
     * The console and a stand-in endpoint, with the demo's own application.yml (its ports moved). A test
     * component, so that the demo application's component scan, in the other tests, leaves it out.
     */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @TestComponent
    static class StandInApplication {

        @Bean
        StandInChannelsEndpoint standInChannelsEndpoint() {
            return new StandInChannelsEndpoint();
        }

    }

    /** One loop that counts up and one connection with every field the console reads. */
    @Endpoint(id = "channels")
    static class StandInChannelsEndpoint {

        private final AtomicLong reads = new AtomicLong();

        @ReadOperation
        Map<String, Object> channels() {
            long n = this.reads.incrementAndGet();
            Map<String, Object> loop = new LinkedHashMap<>();
            loop.put("name", "asyncore-0");
            loop.put("thread", "asyncore-0");
            loop.put("running", true);
            loop.put("channels", 1);
            loop.put("iterations", n * 40);
            loop.put("handlerRuns", n * 25);
            loop.put("busyFraction", 0.42);
            loop.put("stalls", 1);
            loop.put("stalled", false);
            loop.put("pendingTasks", 3);
            return Map.of("loops", List.of(loop), "channels", List.of(channel(false)), "clients", List.of());
        }

        @ReadOperation
        @Nullable Map<String, Object> channel(@Selector long id) {
            return (id == 7) ? channel(true) : null;
        }

        private static Map<String, Object> channel(boolean withEvents) {
            Instant created = Instant.now().minusSeconds(60);
            Map<String, Object> channel = new LinkedHashMap<>();
            channel.put("id", 7);
            channel.put("name", MARKUP_NAME);
            channel.put("dispatcher", "com.example.SpinningHandler");
            channel.put("kind", "CONNECTION");
            channel.put("state", "CONNECTED");
            channel.put("localAddress", "127.0.0.1:7007");
            channel.put("remoteAddress", "127.0.0.1:50000");
            channel.put("readable", true);
            channel.put("writable", true);
            channel.put("bytesRead", 100);
            channel.put("bytesWritten", 200);
            channel.put("pendingOutputBytes", 70000);
            channel.put("outputWritable", false);
            channel.put("outputHardLimit", 4194304);
            channel.put("outputSoftLimit", 1048576);
            channel.put("createdAt", created.toString());
            channel.put("loop", "asyncore-0");
            channel.put("inputEnded", false);
            channel.put("outputShutdown", false);
            channel.put("tls", false);
            channel.put("idleFor", "PT3.2S");
            channel.put("diagnostics", List.of("writable() stayed true for 1000 iterations while handleWrite wrote nothing"));
            if (withEvents) {
                channel.put("events", List.of(event(created, "OPENED", null), event(created.plusMillis(1), "CONNECTED", null),
                        event(created.plusSeconds(30), "READ_PAUSED", "pending output over 64 KiB")));
            }
            return channel;
        }

        private static Map<String, Object> event(Instant at, String event, @Nullable String detail) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("at", at.toString());
            entry.put("event", event);
            if (detail != null) {
                entry.put("detail", detail);
            }
            return entry;
        }

    }

}
