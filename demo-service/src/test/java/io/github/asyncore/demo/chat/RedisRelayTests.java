package io.github.asyncore.demo.chat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.asyncore.demo.e2e.LineClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two demo instances in one JVM, each a whole application context with its own chat listener, sharing a real
 * {@code redis-server} (Debian's, started here on a free loopback port without persistence) with
 * {@code demo.chat.relay=redis}: a line said on one reaches the chatters of the other once, each instance's own
 * chatters see it once (not again through Redis), both ways, in order; nicks are unique across the instances
 * and {@code /who} on either lists both's chatters; then Redis stops mid-conversation
 * (each room goes on alone, its chatters told once) and starts again on the same port (the rooms join again,
 * the line said meanwhile stays where it was said, nothing comes twice); a nick both instances granted while
 * Redis was away stays with one chatter once it is back, and the other chatter gets a guest nick.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisRelayTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static final Pattern WELCOME = Pattern.compile("\\* welcome to the asyncore chat, (guest-\\d+);.*");

    /** The chat's rate limits out of the way of the test's 20 lines at once. */
    private static final String[] MANY_LINES = { "--demo.chat.max-lines-per-second=1000", "--demo.chat.burst=100" };

    private static RedisServer redis;

    private static ConfigurableApplicationContext first;

    private static ConfigurableApplicationContext second;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.startOnFreePort();
        first = redis.startDemo(MANY_LINES);
        second = redis.startDemo(MANY_LINES);
        // each instance subscribes on its listener container's thread: wait until both do
        await().atMost(WAIT).until(() -> redis.command("PUBSUB NUMSUB asyncore-demo:chat").endsWith(":2\r\n"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    @Order(1)
    void linesCrossInstancesOnceBothWaysInOrder() throws Exception {
        try (LineClient ann = join(first); LineClient amy = join(first); LineClient bob = join(second)) {
            assertThat(ann.readLineEndingWith(" joined")).startsWith("* guest-"); // amy's, on the same instance
            assertThat(ann.readLineEndingWith(" joined")).startsWith("* guest-"); // bob's, through Redis
            assertThat(amy.readLineEndingWith(" joined")).startsWith("* guest-"); // bob's
            rename(ann, "ann", amy, bob);
            rename(amy, "amy", ann, bob);
            rename(bob, "bob", ann, amy);

            for (int i = 0; i < 20; i++) {
                ann.send("line " + i);
            }
            for (int i = 0; i < 20; i++) { // every next line: nothing doubled, nothing out of order
                assertThat(bob.readLine()).isEqualTo("[ann] line " + i);
                assertThat(amy.readLine()).isEqualTo("[ann] line " + i);
            }
            bob.send("from the second instance");
            assertThat(ann.readLine()).isEqualTo("[bob] from the second instance"); // none of ann's came back
            assertThat(amy.readLine()).isEqualTo("[bob] from the second instance");
            amy.send("marker");
            assertThat(bob.readLine()).isEqualTo("[amy] marker"); // bob's own line did not come back to him
        }
        RedisChatRelay relay = first.getBean(RedisChatRelay.class);
        await().atMost(WAIT).until(() -> relay.received() >= 2); // bob's join and his line, at least
        assertThat(relay.dropped()).isZero();
    }

    @Test
    @Order(2)
    void nicksAndWhoSpanInstances() throws Exception {
        try (LineClient ann = join(first); LineClient bob = join(second)) {
            rename(ann, "ann1", bob);
            rename(bob, "bob1", ann);
            ann.send("/who");
            assertThat(ann.readLineStartingWith("* in the room:")).isEqualTo("* in the room: ann1, bob1");
            bob.send("/who");
            assertThat(bob.readLineStartingWith("* in the room:")).isEqualTo("* in the room: ann1, bob1");
            // each nick is a key that lives EXPIRY seconds unless its instance renews it
            int expiry = Integer.parseInt(redis.command("TTL asyncore-demo:chat:nick:ann1").strip().substring(1));
            assertThat(expiry).isBetween(1, (int) RedisNicks.EXPIRY.toSeconds());
            assertThat(redis.command("GET asyncore-demo:chat:nick:bob1")).isNotEqualTo(redis.command("GET asyncore-demo:chat:nick:ann1"));

            try (LineClient cat = connect(second)) {
                String guest = nickIn(cat.readLine());
                assertThat(ann.readLineEndingWith(" joined")).isEqualTo("* " + guest + " joined");
                cat.send("/nick ann1");
                assertThat(cat.readLineStartingWith("!")).isEqualTo("! 'ann1' is taken"); // held on the first instance
                cat.send("/who"); // guests are unique across instances too
                assertThat(cat.readLineStartingWith("* in the room:")).isEqualTo("* in the room: ann1, bob1, " + guest);

                ann.close();
                assertThat(bob.readLineEndingWith(" left")).isEqualTo("* ann1 left");
                await().atMost(WAIT).until(() -> redis.command("EXISTS asyncore-demo:chat:nick:ann1").equals(":0\r\n"));
                rename(cat, "ann1", bob);
            }
        }
    }

    @Test
    @Order(3)
    void withoutRedisEachRoomGoesOnAloneAndRejoinsWhenItIsBack() throws Exception {
        try (LineClient ann = join(first); LineClient amy = join(first); LineClient bob = join(second)) {
            rename(ann, "ann2", amy, bob);
            rename(bob, "bob2", ann, amy);
            redis.stop();
            String alone = "* the room is this server's alone for now: the other servers are out of reach";
            assertThat(ann.readLine()).isEqualTo(alone); // one notice each, within the probe's second
            assertThat(amy.readLine()).isEqualTo(alone);
            assertThat(bob.readLine()).isEqualTo(alone);

            ann.send("while Redis is away");
            assertThat(amy.readLine()).isEqualTo("[ann2] while Redis is away"); // the local room goes on
            await().atMost(WAIT).until(() -> first.getBean(RedisChatRelay.class).dropped() >= 1);

            redis.start();
            String back = "* the room spans every server";
            assertThat(ann.readLine()).isEqualTo(back);
            assertThat(amy.readLine()).isEqualTo(back);
            assertThat(bob.readLine()).isEqualTo(back); // and not the line said while Redis was away
            await().atMost(WAIT).until(() -> redis.command("PUBSUB NUMSUB asyncore-demo:chat").endsWith(":2\r\n"));
            ann.send("Redis is back");
            assertThat(bob.readLine()).isEqualTo("[ann2] Redis is back");
            assertThat(amy.readLine()).isEqualTo("[ann2] Redis is back");
            bob.send("and so am I");
            assertThat(ann.readLine()).isEqualTo("[bob2] and so am I");
        }
        assertThat(first.getBean(RedisChatRelay.class).connected()).isTrue();
    }

    @Test
    @Order(4)
    void aNickGrantedTwiceWhileRedisWasAwayStaysWithOneChatter() throws Exception {
        try (LineClient ann = join(first); LineClient bob = join(second)) {
            redis.stop();
            String alone = "* the room is this server's alone for now: the other servers are out of reach";
            assertThat(ann.readLineStartingWith("* the room")).isEqualTo(alone);
            assertThat(bob.readLineStartingWith("* the room")).isEqualTo(alone);
            ann.send("/nick zed"); // each instance grants it: neither can ask the other
            assertThat(ann.readLineStartingWith("* you")).isEqualTo("* you are now zed");
            bob.send("/nick zed");
            assertThat(bob.readLineStartingWith("* you")).isEqualTo("* you are now zed");

            redis.start();
            ChatRoom firstRoom = first.getBean(ChatRoom.class);
            ChatRoom secondRoom = second.getBean(ChatRoom.class);
            await().atMost(WAIT).until(() -> !(firstRoom.nicksHere().contains("zed") && secondRoom.nicksHere().contains("zed")));
            boolean annKept = firstRoom.nicksHere().contains("zed");
            LineClient keeper = annKept ? ann : bob;
            LineClient loser = annKept ? bob : ann;
            String notice = loser.readLineStartingWith("* 'zed'");
            Matcher guest = Pattern.compile("\\* 'zed' was taken on another server while the servers could not reach"
                    + " each other; you are now (guest-\\d+)").matcher(notice);
            assertThat(guest.matches()).as(notice).isTrue();
            assertThat(keeper.readLineStartingWith("* zed is")).isEqualTo("* zed is now " + guest.group(1));
            keeper.send("/who");
            assertThat(keeper.readLineStartingWith("* in the room:")).isEqualTo("* in the room: " + guest.group(1) + ", zed");
        }
    }

    private static void rename(LineClient who, String nick, LineClient... others) throws IOException {
        who.send("/nick " + nick);
        assertThat(who.readLineStartingWith("* you")).isEqualTo("* you are now " + nick);
        for (LineClient other : others) { // skipping the joins still on their way from the other instance
            assertThat(other.readLineEndingWith(" is now " + nick)).startsWith("* guest-");
        }
    }

    private static LineClient join(ConfigurableApplicationContext demo) throws IOException {
        LineClient client = connect(demo);
        nickIn(client.readLine());
        return client;
    }

    private static LineClient connect(ConfigurableApplicationContext demo) throws IOException {
        int port = demo.getEnvironment().getRequiredProperty("local.asyncore.dispatchers.chatServer.port", Integer.class);
        return new LineClient(new InetSocketAddress("127.0.0.1", port));
    }

    /** @return the guest nick a welcome line gives */
    private static String nickIn(String welcome) {
        Matcher guest = WELCOME.matcher(welcome);
        assertThat(guest.matches()).as(welcome).isTrue();
        return guest.group(1);
    }

}
