package io.github.asyncore.autoconfigure.readme;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.asyncore.autoconfigure.AsyncoreAutoConfiguration;
import io.github.asyncore.autoconfigure.LoopbackClients;
import io.github.asyncore.core.ChannelKind;
import io.github.asyncore.core.EventLoopGroup;
import io.github.asyncore.core.LoopSnapshot;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Keeps the README's "Broadcast" section true: its Java is the code compiled here, a member's line reaches
 * the others, an announcement from another thread reaches everyone, and a member that reads nothing of a
 * flood of announcements is closed by its output limit.
 */
class BroadcastReadmeTests {

    private static final String SECTION = "## Broadcast: ChannelGroup and output limits";

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsyncoreAutoConfiguration.class))
        .withBean("roomServer", RoomServer.class, RoomServer::new)
        .withPropertyValues("asyncore.dispatchers.roomServer.address=127.0.0.1:0",
                "asyncore.dispatchers.roomServer.output-hard-limit=256KB",
                "asyncore.dispatchers.roomServer.output-soft-limit=64KB");

    @Test
    void theReadmeShowsTheCompiledExampleCode() throws IOException {
        List<String> java = Readme.blocks(SECTION, "java");
        assertThat(java).hasSize(2);
        assertThat(java.get(0)).isEqualTo(Readme.classBody("RoomServer.java"));
        assertThat(java.get(1)).isEqualTo(Readme.classBody("RoomMember.java"));
    }

    @Test
    void aMembersLineReachesTheOthersAndAnAnnouncementReachesEveryone() {
        this.contextRunner.run((context) -> {
            RoomServer room = context.getBean(RoomServer.class);
            try (Socket alice = LoopbackClients.connect(room); Socket bob = LoopbackClients.connect(room);
                    Socket carol = LoopbackClients.connect(room)) {
                await().atMost(WAIT).until(() -> room.announce("ready") == 3);
                for (Socket member : List.of(alice, bob, carol)) {
                    assertThat(lines(member).readLine()).isEqualTo("* ready");
                }
                alice.getOutputStream().write("hello\n".getBytes(StandardCharsets.UTF_8));
                assertThat(lines(bob).readLine()).isEqualTo("hello");
                assertThat(lines(carol).readLine()).isEqualTo("hello");
                room.announce("bye");
                assertThat(lines(alice).readLine()).as("no echo to the sender: its next line is").isEqualTo("* bye");
            }
        });
    }

    @Test
    void aMemberThatReadsNothingIsClosedByItsOutputLimitWhileTheOthersGetEverything() {
        this.contextRunner.run((context) -> {
            RoomServer room = context.getBean(RoomServer.class);
            EventLoopGroup loops = context.getBean(EventLoopGroup.class);
            try (Socket silent = LoopbackClients.connect(room); Socket reader = LoopbackClients.connect(room)) {
                silent.setReceiveBufferSize(8 * 1024);
                BufferedReader lines = lines(reader);
                await().atMost(WAIT).until(() -> room.announce("ready") == 2);
                assertThat(lines.readLine()).isEqualTo("* ready");
                String news = "x".repeat(1000);
                int announced = 0;
                while (loops.count(ChannelKind.CONNECTION) == 2 && announced < 100_000) { // 100 MB at most
                    room.announce(news + " " + announced);
                    assertThat(lines.readLine()).isEqualTo("* " + news + " " + announced++);
                }
                assertThat(loops.count(ChannelKind.CONNECTION)).as("the silent member closed").isOne();
                assertThat(loops.loopSnapshots().stream().mapToLong(LoopSnapshot::outputLimitCloses).sum()).isOne();
            }
        });
    }

    private final Map<Socket, BufferedReader> readers = new HashMap<>();

    private BufferedReader lines(Socket socket) throws IOException {
        BufferedReader reader = this.readers.get(socket);
        if (reader == null) {
            reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            this.readers.put(socket, reader);
        }
        return reader;
    }

}
