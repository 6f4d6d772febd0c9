package io.github.asyncore.demo.e2e;

import java.util.Arrays;

import io.github.asyncore.demo.chat.ChatServer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** The line chat of the running demo, with three real clients. */
@DemoTest
class ChatTests {

    @Autowired
    private ChatServer chatServer;

    @Test
    void threeClientsSeeEachOthersLinesAndNicks() throws Exception {
        try (LineClient alice = join(); LineClient bob = join(); LineClient carol = join()) {
            alice.send("/nick alice");
            assertThat(alice.readLineStartingWith("* you")).isEqualTo("* you are now alice");
            assertThat(bob.readLineEndingWith(" is now alice")).startsWith("* guest-");
            bob.send("/nick bob");
            assertThat(bob.readLineStartingWith("* you")).isEqualTo("* you are now bob");
            carol.send("/nick carol");
            assertThat(carol.readLineStartingWith("* you")).isEqualTo("* you are now carol");

            alice.send("hello, everyone");
            assertThat(bob.readLineStartingWith("[")).isEqualTo("[alice] hello, everyone");
            assertThat(carol.readLineStartingWith("[")).isEqualTo("[alice] hello, everyone");

            bob.send("/nick alice");
            assertThat(bob.readLineStartingWith("!")).isEqualTo("! 'alice' is taken");
            carol.send("/who");
            assertThat(carol.readLineStartingWith("* in the room:")).contains("alice", "bob", "carol");

            carol.send("/quit");
            assertThat(carol.readLineStartingWith("* bye")).isEqualTo("* bye");
            assertThat(carol.readLine()).as("end of the session").isNull();
            assertThat(alice.readLineStartingWith("* carol")).isEqualTo("* carol left");
        }
    }

    @Test
    void anOversizedLineClosesOnlyThatClient() throws Exception {
        try (LineClient talker = join(); LineClient flooder = join()) {
            talker.send("/nick talker");
            assertThat(talker.readLineStartingWith("* you")).isEqualTo("* you are now talker");
            char[] line = new char[2048];
            Arrays.fill(line, 'x');
            flooder.send(new String(line));
            assertThat(flooder.readLineStartingWith("!")).startsWith("! line longer than 1024 bytes");
            assertThat(flooder.readLine()).isNull();
            assertThat(talker.readLineEndingWith(" left")).startsWith("* guest-");
            talker.send("/who");
            assertThat(talker.readLineStartingWith("* in the room:")).contains("talker");
        }
    }

    private LineClient join() throws Exception {
        LineClient client = new LineClient(this.chatServer.getLocalAddress());
        assertThat(client.readLine()).startsWith("* welcome to the asyncore chat, guest-");
        return client;
    }

}
