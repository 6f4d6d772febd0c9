package io.github.asyncore.autoconfigure.endpoint;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;

import io.github.asyncore.autoconfigure.EchoApplication;
import io.github.asyncore.autoconfigure.readme.EchoHandler;
import io.github.asyncore.core.ChannelMap;
import io.github.asyncore.core.Dispatcher;
import io.github.asyncore.core.EventLoopGroup;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The {@code channels} endpoint over real HTTP, serving an application with one echo listener bean and
 * real loopback clients.
 */
class ChannelsEndpointWebIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static final String LOOP = "asyncore-0";

    private static final List<String> CHANNEL_FIELDS = List.of("id", "name", "dispatcher", "kind", "state",
            "localAddress", "remoteAddress", "readable", "writable", "bytesRead", "bytesWritten",
            "pendingOutputBytes", "outputWritable", "outputHardLimit", "outputSoftLimit", "createdAt", "lastReadAt", "lastWriteAt", "loop", "inputEnded", "outputShutdown",
            "tls", "idleFor", "diagnostics");

    /**
     * Spring Boot's endpoint JSON leaves null values out: no traffic yet, no times of it (and, for a plain
     * channel, no TLS protocol or cipher suite).
     */
    private static final List<String> QUIET_CHANNEL_FIELDS = without(CHANNEL_FIELDS, "lastReadAt", "lastWriteAt");

    private static final JsonMapper json = JsonMapper.builder().build();

    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();

    /** The endpoint's default access: read-only. */
    @Nested
    @SpringBootTest(classes = EchoApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
            properties = { "server.address=127.0.0.1", "asyncore.dispatchers.echoServer.address=127.0.0.1:0",
                    "management.endpoints.web.exposure.include=channels", "spring.web.error.include-message=always" })
    class ReadOnlyAccess extends EndpointClient {

        @Test
        void listsTheListenerAndEachConnectedClient() throws Exception {
            Instant before = Instant.now();
            Socket first = connect();
            Socket second = connect();
            JsonNode body = awaitChannels("", first, second);
            JsonNode listener = byId(body, echoServer().id());
            assertThat(listener).isNotNull();
            // null values are left out: a listener has no peer and no traffic
            assertThat(fieldNames(listener)).containsExactlyElementsOf(without(CHANNEL_FIELDS, "remoteAddress",
                    "lastReadAt", "lastWriteAt"));
            assertThat(listener.get("name").asString()).isEqualTo("echoServer");
            assertThat(listener.get("dispatcher").asString()).isEqualTo(EchoApplication.EchoServer.class.getName());
            assertThat(listener.get("kind").asString()).isEqualTo("LISTENER");
            assertThat(listener.get("state").asString()).isEqualTo("LISTENING");
            assertThat(listener.get("localAddress").asString()).isEqualTo(listenerAddress());
            assertThat(listener.get("readable").asBoolean()).isTrue();
            assertThat(listener.get("writable").asBoolean()).isFalse();
            assertThat(listener.get("bytesRead").asLong()).isZero();
            assertThat(listener.get("bytesWritten").asLong()).isZero();
            assertThat(listener.get("loop").asString()).isEqualTo(LOOP);
            for (Socket client : List.of(first, second)) {
                JsonNode connection = byRemoteAddress(body, client);
                assertThat(connection).isNotNull();
                assertThat(fieldNames(connection)).containsExactlyElementsOf(QUIET_CHANNEL_FIELDS);
                assertThat(connection.get("name").asString()).isEqualTo("echoServer#" + connection.get("id").asLong());
                assertThat(connection.get("dispatcher").asString())
                    .isEqualTo(EchoHandler.class.getName());
                assertThat(connection.get("kind").asString()).isEqualTo("CONNECTION");
                assertThat(connection.get("state").asString()).isEqualTo("CONNECTED");
                assertThat(connection.get("localAddress").asString()).isEqualTo(listenerAddress());
                assertThat(connection.get("remoteAddress").asString()).isEqualTo(localAddressOf(client));
                assertThat(connection.get("bytesRead").asLong()).isZero();
                assertThat(connection.get("bytesWritten").asLong()).isZero();
                assertThat(connection.get("pendingOutputBytes").asLong()).isZero();
                assertThat(Instant.parse(connection.get("createdAt").asString()))
                    .isBetween(before.minusSeconds(1), Instant.now());
                assertThat(connection.get("loop").asString()).isEqualTo(LOOP);
            }
            // readable and writable are what the loop last evaluated: wait for its first look at a new channel
            await().atMost(WAIT).untilAsserted(() -> {
                JsonNode now = channels("");
                for (Socket client : List.of(first, second)) {
                    JsonNode connection = byRemoteAddress(now, client);
                    assertThat(connection.get("readable").asBoolean()).isTrue();
                    assertThat(connection.get("writable").asBoolean()).isFalse();
                }
            });
        }

        @Test
        void summarizesEachLoop() throws Exception {
            Socket client = connect();
            JsonNode loops = awaitChannels("", client).get("loops");
            assertThat(loops).hasSize(1);
            JsonNode loop = loops.get(0);
            // null values are left out: the loop has not failed
            assertThat(fieldNames(loop)).containsExactly("name", "thread", "running", "channels", "iterations",
                    "pendingTasks", "scheduledTimers", "stalls", "stalled", "busyFor", "stallThreshold",
                    "handlerErrors", "connectionsAccepted", "connectionsRejected", "connectionsRefused", "tlsHandshakes",
                    "tlsHandshakeFailures", "idleTimeouts", "connectTimeouts", "bytesRead", "bytesWritten",
                    "outputHardLimitCloses", "outputSoftLimitCloses", "outputMemoryCloses", "outputMemoryUsed",
                    "maxOutputMemory", "handlerRuns", "busyTime", "busyFraction", "spinningWriters", "stuckReaders");
            assertThat(loop.get("name").asString()).isEqualTo(LOOP);
            assertThat(loop.get("thread").asString()).isEqualTo(LOOP);
            assertThat(loop.get("running").asBoolean()).isTrue();
            assertThat(loop.get("channels").asInt()).isGreaterThanOrEqualTo(2);
            assertThat(loop.get("iterations").asLong()).isPositive();
            assertThat(loop.get("stalled").asBoolean()).isFalse();
            assertThat(loop.get("stallThreshold").asString()).isEqualTo("PT0.1S");
            assertThat(loop.get("connectionsAccepted").asLong()).isPositive();
        }

        @Test
        void countsTheBytesOfAnEchoRoundTrip() throws Exception {
            Socket client = connect();
            byte[] message = "hello channels".getBytes(StandardCharsets.US_ASCII);
            client.getOutputStream().write(message);
            assertThat(client.getInputStream().readNBytes(message.length)).isEqualTo(message);
            await().atMost(WAIT).untilAsserted(() -> {
                JsonNode connection = byRemoteAddress(channels(""), client);
                assertThat(connection).isNotNull();
                assertThat(connection.get("bytesRead").asLong()).isEqualTo(message.length);
                assertThat(connection.get("bytesWritten").asLong()).isEqualTo(message.length);
                assertThat(fieldNames(connection)).containsExactlyElementsOf(CHANNEL_FIELDS);
                assertThat(connection.get("pendingOutputBytes").asLong()).isZero();
                assertThat(connection.get("readable").asBoolean()).isTrue();
                assertThat(connection.get("writable").asBoolean()).isFalse();
                assertThat(Instant.parse(connection.get("lastReadAt").asString())).isNotNull();
                assertThat(Instant.parse(connection.get("lastWriteAt").asString())).isNotNull();
            });
        }

        @Test
        void filtersByKind() throws Exception {
            Socket client = connect();
            long connectionId = awaitChannelId(client);
            JsonNode listeners = channels("?kind=listener");
            assertThat(kindsOf(listeners)).containsOnly("LISTENER");
            assertThat(byId(listeners, echoServer().id())).isNotNull();
            JsonNode connections = channels("?kind=CONNECTION");
            assertThat(kindsOf(connections)).containsOnly("CONNECTION");
            assertThat(byId(connections, connectionId)).isNotNull();
            assertThat(channels("?kind=datagram").get("channels")).isEmpty();
        }

        @Test
        void filtersByState() throws Exception {
            Socket client = connect();
            long connectionId = awaitChannelId(client);
            JsonNode listening = channels("?state=Listening");
            assertThat(statesOf(listening)).containsOnly("LISTENING");
            assertThat(byId(listening, echoServer().id())).isNotNull();
            JsonNode connected = channels("?state=connected");
            assertThat(statesOf(connected)).containsOnly("CONNECTED");
            assertThat(byId(connected, connectionId)).isNotNull();
            assertThat(channels("?kind=connection&state=listening").get("channels")).isEmpty();
            assertThat(channels("?kind=connection&state=listening").get("loops")).hasSize(1);
        }

        @Test
        void rejectsAnUnknownKindWithBadRequest() throws Exception {
            HttpResponse<String> response = send("GET", "?kind=bogus");
            // the reason reaches the body because of spring.web.error.include-message=always
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.body())
                .contains("Unknown kind 'bogus', expected one of listener, connection, client, datagram");
        }

        @Test
        void rejectsAnUnknownStateWithBadRequest() throws Exception {
            HttpResponse<String> response = send("GET", "?state=asleep");
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.body()).contains("Unknown state 'asleep'");
        }

        @Test
        void readsOneChannelById() throws Exception {
            Socket client = connect();
            long id = awaitChannelId(client);
            HttpResponse<String> response = send("GET", "/" + id);
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode channel = json.readTree(response.body());
            List<String> withEvents = new ArrayList<>(QUIET_CHANNEL_FIELDS);
            withEvents.add("events");
            assertThat(fieldNames(channel)).containsExactlyElementsOf(withEvents);
            assertThat(channel.get("id").asLong()).isEqualTo(id);
            assertThat(channel.get("kind").asString()).isEqualTo("CONNECTION");
            assertThat(channel.get("remoteAddress").asString()).isEqualTo(localAddressOf(client));
        }

        @Test
        void answersNotFoundForAnUnknownId() throws Exception {
            assertThat(send("GET", "/" + Long.MAX_VALUE).statusCode()).isEqualTo(404);
        }

        @Test
        void refusesToDeleteWithReadOnlyAccess() throws Exception {
            Socket client = connect();
            long id = awaitChannelId(client);
            HttpResponse<String> response = send("DELETE", "/" + id);
            // read-only access leaves the delete operation unmapped; the path answers GET only
            assertThat(response.statusCode()).isEqualTo(405);
            assertThat(send("GET", "/" + id).statusCode()).isEqualTo(200);
            byte[] message = "still open".getBytes(StandardCharsets.US_ASCII);
            client.getOutputStream().write(message);
            assertThat(client.getInputStream().readNBytes(message.length)).isEqualTo(message);
        }

    }

    /** {@code management.endpoint.channels.access=unrestricted}: the delete operation is on. */
    @Nested
    @SpringBootTest(classes = EchoApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
            properties = { "server.address=127.0.0.1", "asyncore.dispatchers.echoServer.address=127.0.0.1:0",
                    "management.endpoints.web.exposure.include=channels",
                    "management.endpoint.channels.access=unrestricted", "spring.web.error.include-message=always" })
    class UnrestrictedAccess extends EndpointClient {

        @Autowired
        private EventLoopGroup group;

        @Test
        void deleteClosesTheClientsConnection() throws Exception {
            Socket client = connect();
            Socket bystander = connect();
            long id = awaitChannelId(client);
            awaitChannelId(bystander);
            HttpResponse<String> response = send("DELETE", "/" + id);
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode closed = json.readTree(response.body());
            assertThat(fieldNames(closed)).containsExactlyElementsOf(QUIET_CHANNEL_FIELDS);
            assertThat(closed.get("id").asLong()).isEqualTo(id);
            assertThat(closed.get("kind").asString()).isEqualTo("CONNECTION");
            assertThat(closed.get("state").asString()).isEqualTo("CONNECTED");
            assertThat(closed.get("remoteAddress").asString()).isEqualTo(localAddressOf(client));
            // the peer sees end-of-stream; the socket's read timeout bounds the wait
            assertThat(client.getInputStream().read()).isEqualTo(-1);
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(byId(channels(""), id)).isNull();
                assertThat(send("GET", "/" + id).statusCode()).isEqualTo(404);
            });
            assertThat(byRemoteAddress(channels(""), bystander)).isNotNull();
            assertThat(byId(channels(""), echoServer().id())).isNotNull();
        }

        @Test
        void deleteAnswersNotFoundForAnUnknownId() throws Exception {
            assertThat(send("DELETE", "/" + Long.MAX_VALUE).statusCode()).isEqualTo(404);
            assertThat(send("DELETE", "/" + Long.MAX_VALUE + "?mode=abort").statusCode()).isEqualTo(404);
        }

        @Test
        void aDrainDeliversEveryQueuedByteBeforeEndOfStream() throws Exception {
            Socket client = connect(8 * 1024); // a small window: the echo soon owes more than the sockets hold
            long id = awaitChannelId(client);
            byte[] upload = new byte[16 * 1024 * 1024];
            for (int i = 0; i < upload.length; i++) {
                upload[i] = (byte) (i % 251);
            }
            Thread writer = new Thread(() -> {
                try {
                    client.getOutputStream().write(upload); // blocks once the echo stops reading
                }
                catch (IOException ex) {
                    // the server discards, then closes, once drained
                }
            }, "uploader");
            writer.start();
            // the echo owes the client more than its high water mark, and stopped reading
            JsonNode owing = await().atMost(WAIT)
                .until(() -> channel(id), (channel) -> channel.get("pendingOutputBytes").asLong() > 0
                        && !channel.get("readable").asBoolean());
            HttpResponse<String> response = send("DELETE", "/" + id + "?mode=drain");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            long echoed = json.readTree(response.body()).get("bytesRead").asLong();
            assertThat(echoed).isEqualTo(owing.get("bytesRead").asLong());
            byte[] received = client.getInputStream().readAllBytes(); // to end-of-stream; bounded by SO_TIMEOUT
            assertThat(received).hasSize((int) echoed);
            assertThat(java.util.Arrays.mismatch(received, 0, received.length, upload, 0, received.length))
                .as("first byte that differs from what was sent").isEqualTo(-1);
            client.close();
            writer.join(WAIT.toMillis());
            await().atMost(WAIT).until(() -> send("GET", "/" + id).statusCode() == 404);
        }

        @Test
        void anAbortResetsTheConnection() throws Exception {
            Socket client = connect();
            long id = awaitChannelId(client);
            HttpResponse<String> response = send("DELETE", "/" + id + "?mode=ABORT");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThatExceptionOfType(SocketException.class).isThrownBy(() -> client.getInputStream().read())
                .withMessageContaining("reset");
            await().atMost(WAIT).until(() -> send("GET", "/" + id).statusCode() == 404);
        }

        @Test
        void anUnknownModeIsABadRequestAndClosesNothing() throws Exception {
            Socket client = connect();
            long id = awaitChannelId(client);
            HttpResponse<String> response = send("DELETE", "/" + id + "?mode=gently");
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.body()).contains("Unknown mode 'gently', expected one of close, drain, abort");
            assertThat(send("GET", "/" + id).statusCode()).isEqualTo(200);
        }

        @Test
        void aSpinningDispatcherIsFlaggedWithinASecond() throws Exception {
            ChannelMap map = this.group.acceptor();
            CompletableFuture<Dispatcher> created = new CompletableFuture<>();
            InetSocketAddress listener = (InetSocketAddress) echoServer().getLocalAddress();
            map.eventLoop().execute(() -> {
                try {
                    Dispatcher spinning = new Dispatcher(map) {
                        // the mistake: writable() stays true with nothing to write (asyncore's default)
                        @Override
                        public void handleWrite() {
                        }
                    };
                    spinning.createSocket();
                    spinning.connect(new InetSocketAddress("127.0.0.1", listener.getPort()));
                    created.complete(spinning);
                }
                catch (Exception ex) {
                    created.completeExceptionally(ex);
                }
            });
            Dispatcher spinning = created.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            try {
                await().atMost(WAIT).until(spinning::isConnected);
                JsonNode flagged = await().atMost(Duration.ofSeconds(1))
                    .until(() -> channel(spinning.id()), (channel) -> !channel.get("diagnostics").isEmpty());
                assertThat(flagged.get("diagnostics").get(0).asString()).startsWith("writable() answered true");
                assertThat(channels("").get("loops").get(0).get("spinningWriters").asLong()).isEqualTo(1);
            }
            finally {
                spinning.close();
            }
        }

        @Test
        void oneChannelCarriesItsRecentEvents() throws Exception {
            Socket client = connect();
            long id = awaitChannelId(client);
            JsonNode events = channel(id).get("events");
            assertThat(events).hasSize(1);
            assertThat(events.get(0).get("event").asString()).isEqualTo("OPENED");
            assertThat(events.get(0).get("detail").asString()).isEqualTo(localAddressOf(client));
            assertThat(Instant.parse(events.get(0).get("at").asString())).isBefore(Instant.now().plusSeconds(1));
            assertThat(byId(channels(""), id).has("events")).as("the list leaves the history out").isFalse();
        }

    }

    /** What both access levels share: the application's listener, real clients and an HTTP client. */
    abstract static class EndpointClient {

        @LocalServerPort
        private int port;

        @Autowired
        private EchoApplication.EchoServer echoServer;

        private final List<Socket> clients = new ArrayList<>();

        @AfterEach
        void closeClients() throws IOException {
            for (Socket client : this.clients) {
                client.close();
            }
        }

        EchoApplication.EchoServer echoServer() {
            return this.echoServer;
        }

        Socket connect() throws IOException {
            return connect(0);
        }

        /** @param receiveBufferSize the client's socket receive buffer, 0 for the system's default */
        Socket connect(int receiveBufferSize) throws IOException {
            InetSocketAddress listener = (InetSocketAddress) this.echoServer.getLocalAddress();
            Socket client = new Socket();
            if (receiveBufferSize > 0) {
                client.setReceiveBufferSize(receiveBufferSize);
            }
            this.clients.add(client);
            client.connect(new InetSocketAddress("127.0.0.1", listener.getPort()), (int) WAIT.toMillis());
            client.setSoTimeout((int) WAIT.toMillis());
            return client;
        }

        String listenerAddress() {
            return "127.0.0.1:" + ((InetSocketAddress) this.echoServer.getLocalAddress()).getPort();
        }

        HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
            HttpRequest request = HttpRequest
                .newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/channels" + path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(WAIT)
                .build();
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }

        JsonNode channels(String query) throws IOException, InterruptedException {
            HttpResponse<String> response = send("GET", query);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return json.readTree(response.body());
        }

        /** The list, once every client's accepted connection is in it. */
        JsonNode awaitChannels(String query, Socket... clients) {
            return await().atMost(WAIT).until(() -> channels(query), (body) -> {
                for (Socket client : clients) {
                    if (byRemoteAddress(body, client) == null) {
                        return false;
                    }
                }
                return true;
            });
        }

        JsonNode channel(long id) throws IOException, InterruptedException {
            HttpResponse<String> response = send("GET", "/" + id);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return json.readTree(response.body());
        }

        long awaitChannelId(Socket client) {
            return byRemoteAddress(awaitChannels("", client), client).get("id").asLong();
        }

    }

    static String localAddressOf(Socket client) {
        return "127.0.0.1:" + client.getLocalPort();
    }

    static @Nullable JsonNode byId(JsonNode body, long id) {
        return channelStream(body).filter((channel) -> channel.get("id").asLong() == id).findFirst().orElse(null);
    }

    static @Nullable JsonNode byRemoteAddress(JsonNode body, Socket client) {
        String address = localAddressOf(client);
        return channelStream(body).filter((channel) -> channel.has("remoteAddress")
                && address.equals(channel.get("remoteAddress").asString()))
            .findFirst()
            .orElse(null);
    }

    static List<String> kindsOf(JsonNode body) {
        return channelStream(body).map((channel) -> channel.get("kind").asString()).toList();
    }

    static List<String> statesOf(JsonNode body) {
        return channelStream(body).map((channel) -> channel.get("state").asString()).toList();
    }

    static List<String> without(List<String> fields, String... absent) {
        List<String> left = new ArrayList<>(fields);
        left.removeAll(List.of(absent));
        return left;
    }

    static List<String> fieldNames(JsonNode node) {
        return List.copyOf(node.propertyNames());
    }

    private static java.util.stream.Stream<JsonNode> channelStream(JsonNode body) {
        return StreamSupport.stream(body.get("channels").spliterator(), false);
    }

}
