package io.github.asyncore.benchmarks.resp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The RESP server over real loopback sockets, with a plain {@link java.net.Socket} client. */
class RespServerTest {

    private RespServer server;

    @BeforeEach
    void start() throws IOException {
        this.server = RespServer.start(0, 4096);
    }

    @AfterEach
    void stop() {
        this.server.close();
    }

    @Test
    void eachCommandRepliesAsRedisServerDoes() throws IOException {
        try (RespClient client = client()) {
            assertReply(client, command("PING"), "+PONG\r\n");
            assertReply(client, command("PING", "hi"), "$2\r\nhi\r\n");
            assertReply(client, command("ECHO", "hello world"), "$11\r\nhello world\r\n");
            assertReply(client, command("GET", "k"), "$-1\r\n");
            assertReply(client, command("SET", "k", "v\r\n1"), "+OK\r\n");
            assertReply(client, command("GET", "k"), "$4\r\nv\r\n1\r\n");
            assertReply(client, command("SET", "k", ""), "+OK\r\n");
            assertReply(client, command("GET", "k"), "$0\r\n\r\n");
            assertReply(client, command("INCR", "n"), ":1\r\n");
            assertReply(client, command("INCR", "n"), ":2\r\n");
            assertReply(client, command("GET", "n"), "$1\r\n2\r\n");
            assertReply(client, command("SET", "m", "-10"), "+OK\r\n");
            assertReply(client, command("INCR", "m"), ":-9\r\n");
            assertReply(client, command("DEL", "k", "n", "absent", "k"), ":2\r\n");
            assertReply(client, command("GET", "n"), "$-1\r\n");
            assertReply(client, command("set", "Lower", "case"), "+OK\r\n");
            assertReply(client, command("gEt", "Lower"), "$4\r\ncase\r\n");
            assertReply(client, command("CONFIG", "GET", "save"), "*2\r\n$4\r\nsave\r\n$0\r\n\r\n");
            assertReply(client, command("CONFIG", "GET", "appendonly"), "*2\r\n$10\r\nappendonly\r\n$2\r\nno\r\n");
            assertReply(client, command("CONFIG", "GET", "maxmemory"), "*0\r\n");
        }
    }

    @Test
    void wrongArityAndUnknownCommandsAreErrorsThatKeepTheConnection() throws IOException {
        try (RespClient client = client()) {
            assertReply(client, command("GET"), "-ERR wrong number of arguments for 'get' command\r\n");
            assertReply(client, command("SET", "k"), "-ERR wrong number of arguments for 'set' command\r\n");
            assertReply(client, command("DEL"), "-ERR wrong number of arguments for 'del' command\r\n");
            assertReply(client, command("INCR"), "-ERR wrong number of arguments for 'incr' command\r\n");
            assertReply(client, command("ECHO"), "-ERR wrong number of arguments for 'echo' command\r\n");
            assertReply(client, command("PING", "a", "b"), "-ERR wrong number of arguments for 'ping' command\r\n");
            assertReply(client, command("SET", "k", "v", "EX", "10"), "-ERR syntax error\r\n");
            assertReply(client, command("FLUSHALL"), "-ERR unknown command 'FLUSHALL'\r\n");
            assertReply(client, command("FOO\r\nBAR"), "-ERR unknown command 'FOO  BAR'\r\n");
            assertReply(client, command("PING"), "+PONG\r\n");
        }
    }

    @Test
    void incrOnAValueThatIsNotAnIntegerIsAnError() throws IOException {
        try (RespClient client = client()) {
            String notAnInteger = "-ERR value is not an integer or out of range\r\n";
            for (String value : new String[] { "abc", "1.5", " 1", "01", "+1", "", "-", "99999999999999999999" }) {
                assertReply(client, command("SET", "k", value), "+OK\r\n");
                assertReply(client, command("INCR", "k"), notAnInteger);
            }
            assertReply(client, command("GET", "k"), "$20\r\n99999999999999999999\r\n");
            assertReply(client, command("SET", "k", "9223372036854775807"), "+OK\r\n");
            assertReply(client, command("INCR", "k"), "-ERR increment or decrement would overflow\r\n");
            assertReply(client, command("SET", "k", "-9223372036854775808"), "+OK\r\n");
            assertReply(client, command("INCR", "k"), ":-9223372036854775807\r\n");
        }
    }

    @Test
    void inlineCommands() throws IOException {
        try (RespClient client = client()) {
            assertReply(client, "PING\r\n", "+PONG\r\n");
            assertReply(client, "SET k v\r\n", "+OK\r\n");
            assertReply(client, "get k\n", "$1\r\nv\r\n");
            assertReply(client, "\r\n  \t ECHO \t  spaced   \r\n", "$6\r\nspaced\r\n");
            assertReply(client, "INCR n\r\nINCR n\r\n", ":1\r\n:2\r\n");
            assertReply(client, "NOPE x\r\n", "-ERR unknown command 'NOPE'\r\n");
        }
    }

    @Test
    void hundredPipelinedCommandsInOneWriteAreAnsweredInOrder() throws IOException {
        StringBuilder requests = new StringBuilder();
        StringBuilder replies = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            switch (i % 4) {
                case 0 -> {
                    requests.append(command("SET", "key" + i, "value" + i));
                    replies.append("+OK\r\n");
                }
                case 1 -> {
                    requests.append(command("GET", "key" + (i - 1)));
                    String value = "value" + (i - 1);
                    replies.append('$').append(value.length()).append("\r\n").append(value).append("\r\n");
                }
                case 2 -> {
                    requests.append("INCR counter\r\n");
                    replies.append(':').append(i / 4 + 1).append("\r\n");
                }
                default -> {
                    requests.append(command("PING"));
                    replies.append("+PONG\r\n");
                }
            }
        }
        try (RespClient client = client()) {
            assertReply(client, requests.toString(), replies.toString());
        }
    }

    @Test
    void aCommandSplitByteByByteIsAnsweredOnceComplete() throws IOException {
        String set = command("SET", "split", "0123456789");
        String get = "GET split\r\n";
        try (RespClient client = client()) {
            for (byte b : (set + get).getBytes(StandardCharsets.ISO_8859_1)) {
                client.send(new byte[] { b });
            }
            assertThat(client.readLike("+OK\r\n$10\r\n0123456789\r\n")).isEqualTo("+OK\r\n$10\r\n0123456789\r\n");
        }
    }

    @Test
    void aValueLongerThanOneReadAndTheReplyBufferComesBackWhole() throws IOException {
        this.server.close();
        this.server = RespServer.start(0, RespServer.DEFAULT_MAX_FRAME_SIZE);
        String value = "x".repeat(300_000);
        try (RespClient client = client()) {
            assertReply(client, command("SET", "big", value) + command("GET", "big") + command("PING"),
                    "+OK\r\n$300000\r\n" + value + "\r\n+PONG\r\n");
        }
    }

    @Test
    void quitRepliesOkThenCloses() throws IOException {
        try (RespClient client = client()) {
            client.send(command("PING") + command("QUIT") + command("PING"));
            assertThat(client.readUntilClosed()).isEqualTo("+PONG\r\n+OK\r\n");
        }
        try (RespClient client = client()) {
            client.send("QUIT\r\n");
            assertThat(client.readUntilClosed()).isEqualTo("+OK\r\n");
        }
    }

    @Test
    void protocolErrorsReplyThenClose() throws IOException {
        assertProtocolError("*1\r\n$x\r\n", "invalid bulk length");
        assertProtocolError("*1\r\n$-1\r\n", "invalid bulk length");
        assertProtocolError("*1\r\n$536870913\r\n", "invalid bulk length");
        assertProtocolError("*1048577\r\n", "invalid multibulk length");
        assertProtocolError("*1x\r\n", "invalid multibulk length");
        assertProtocolError("*1\r\nPING\r\n", "expected '$', got 'P'");
        assertProtocolError("*1\r\n$4\r\nPINGxx", "expected CRLF after a bulk string of 4 bytes");
    }

    @Test
    void anIncompleteCommandLongerThanTheMaxFrameSizeIsAProtocolError() throws IOException {
        try (RespClient client = client()) {
            client.send(command("PING") + "*2\r\n$3\r\nSET\r\n$10000\r\n" + "y".repeat(5000));
            assertThat(client.readUntilClosed()).isEqualTo(
                    "+PONG\r\n-ERR Protocol error: request of more than 4096 bytes (max-frame-size)\r\n");
        }
        try (RespClient client = client()) {
            client.send("PING " + "z".repeat(5000));
            assertThat(client.readUntilClosed())
                .isEqualTo("-ERR Protocol error: request of more than 4096 bytes (max-frame-size)\r\n");
        }
    }

    @Test
    void theLoopKeepsServingOtherConnectionsAfterAProtocolError() throws IOException {
        try (RespClient good = client(); RespClient bad = client()) {
            assertReply(good, command("SET", "k", "before"), "+OK\r\n");
            bad.send("*1\r\n$?\r\n");
            assertThat(bad.readUntilClosed()).isEqualTo("-ERR Protocol error: invalid bulk length\r\n");
            assertReply(good, command("GET", "k"), "$6\r\nbefore\r\n");
            try (RespClient another = client()) {
                assertReply(another, "GET k\r\n", "$6\r\nbefore\r\n");
            }
        }
    }

    private void assertProtocolError(String request, String error) throws IOException {
        try (RespClient client = client()) {
            client.send(command("PING") + request);
            assertThat(client.readUntilClosed()).as(request)
                .isEqualTo("+PONG\r\n-ERR Protocol error: " + error + "\r\n");
        }
    }

    private RespClient client() throws IOException {
        return new RespClient(this.server.port());
    }

    private static void assertReply(RespClient client, String request, String reply) throws IOException {
        client.send(request);
        assertThat(client.readLike(reply)).as(request).isEqualTo(reply);
    }

    /** @return the arguments as a RESP array of bulk strings (ISO-8859-1, one byte per char) */
    static String command(String... arguments) {
        StringBuilder request = new StringBuilder().append('*').append(arguments.length).append("\r\n");
        for (String argument : arguments) {
            request.append('$').append(argument.length()).append("\r\n").append(argument).append("\r\n");
        }
        return request.toString();
    }

}
