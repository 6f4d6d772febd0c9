package io.github.asyncore.demo.e2e;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.asyncore.demo.chat.ChatServer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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

    @Test
    void controlCharactersAreStrippedSoThatNobodyCanForgeALineOrDriveATerminal() throws Exception {
        try (LineClient mallory = join(); LineClient alice = join()) {
            mallory.send("/nick mallory");
            assertThat(mallory.readLineStartingWith("* you")).isEqualTo("* you are now mallory");
            // a carriage return would let "* admin ..." overwrite "[mallory] hi" on alice's screen (and split the
            // line for a reader that ends lines at \r); ESC, CSI (C1), BEL, DEL and NUL drive terminals
            mallory.sendRaw("hi\r* alice is now an admin\r\n".getBytes(StandardCharsets.UTF_8));
            mallory.sendRaw("\u001b[2J\u001b]0;pwned\u0007\u009b31mred\u007f\u0000\ttab\u2028end\r\n"
                .getBytes(StandardCharsets.UTF_8));
            assertThat(alice.readLineStartingWith("[mallory]")).isEqualTo("[mallory] hi* alice is now an admin");
            assertThat(alice.readLineStartingWith("[mallory]")).isEqualTo("[mallory] [2J]0;pwned31mred\ttabend");
        }
    }

    @Test
    void aGuestNickThatSomebodyTookIsNeverGivenAtJoin() throws Exception {
        try (LineClient first = new LineClient(this.chatServer.getLocalAddress())) {
            int next = guestNumber(first.readLine()) + 1;
            first.send("/nick guest-" + next); // the nick the next chatter would get
            assertThat(first.readLineStartingWith("* you")).isEqualTo("* you are now guest-" + next);
            try (LineClient second = new LineClient(this.chatServer.getLocalAddress())) {
                assertThat(guestNumber(second.readLine())).as("the second chatter's guest number").isEqualTo(next + 1);
                second.send("/who");
                List<String> nicks = List.of(second.readLineStartingWith("* in the room: ")
                    .substring("* in the room: ".length())
                    .split(", "));
                assertThat(nicks).doesNotHaveDuplicates().contains("guest-" + next);
            }
        }
    }

    @Test
    void aFloodersExcessLinesAreDroppedAtItsRateWithOneNoticeWhileOthersChat() throws Exception {
        try (LineClient flooder = join(); LineClient talker = join(); LineClient reader = join()) {
            flooder.send("/nick flooder");
            assertThat(flooder.readLineStartingWith("* you")).isEqualTo("* you are now flooder");
            talker.send("/nick talker");
            assertThat(talker.readLineStartingWith("* you")).isEqualTo("* you are now talker");
            assertThat(reader.readLineEndingWith(" is now talker")).isNotNull();
            long start = System.nanoTime();
            StringBuilder flood = new StringBuilder();
            for (int i = 0; i < 200; i++) {
                flood.append("flood ").append(i).append("\r\n");
            }
            flooder.sendRaw(flood.toString().getBytes(StandardCharsets.UTF_8)); // the client's whole paste at once
            assertThat(flooder.readLineStartingWith("!"))
                .isEqualTo("! more than 10 lines a second; lines are dropped until you slow down");
            long noticed = System.nanoTime();
            talker.send("still here");
            int relayed = 0;
            String line;
            while (!(line = reader.readLine()).equals("[talker] still here")) {
                assertThat(line).isEqualTo("[flooder] flood " + relayed);
                relayed++;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            // a burst of 20 lines, less the /nick command the flooder spent one on, then 10 a second
            assertThat(relayed).as("flood lines relayed in %.2f s", seconds)
                .isBetween(19, 19 + (int) Math.ceil(10 * seconds) + 1);
            // the rate gives a line back every 100 ms: after 150 ms the flooder may talk again, and is not told
            // about the lines dropped before
            await("a line's worth of the flooder's rate").atMost(Duration.ofSeconds(5))
                .until(() -> System.nanoTime() - noticed >= TimeUnit.MILLISECONDS.toNanos(150));
            flooder.send("calm now");
            assertThat(reader.readLineStartingWith("[flooder] calm")).isEqualTo("[flooder] calm now");
            flooder.send("/who");
            assertThat(flooder.readLineStartingWith("*")).startsWith("* in the room:");
        }
    }

    /** @return N of the {@code guest-N} a welcome line names */
    private static int guestNumber(String welcome) {
        Matcher guest = Pattern.compile("\\* welcome to the asyncore chat, guest-(\\d+);.*").matcher(welcome);
        assertThat(guest.matches()).as(welcome).isTrue();
        return Integer.parseInt(guest.group(1));
    }

    private LineClient join() throws Exception {
        LineClient client = new LineClient(this.chatServer.getLocalAddress());
        assertThat(client.readLine()).startsWith("* welcome to the asyncore chat, guest-");
        return client;
    }

}
