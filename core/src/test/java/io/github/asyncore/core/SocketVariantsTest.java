package io.github.asyncore.core;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The transports a dispatcher speaks: TCP over IPv4 and IPv6, Unix-domain streams, UDP. */
class SocketVariantsTest {

    private final LoopFixture fixture = LoopFixture.started("variants");

    @AfterEach
    void close() {
        this.fixture.close();
    }

    @Test
    void listeningOnAPortInUseFailsNamingTheAddress() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = (InetSocketAddress) taken.getLocalSocketAddress();
            Dispatcher dispatcher = this.fixture.onLoop(() -> {
                Dispatcher created = new Dispatcher(this.fixture.map);
                created.createSocket();
                created.bind(address);
                return created;
            });
            assertThatExceptionOfType(BindException.class)
                .isThrownBy(() -> this.fixture.runOnLoopRethrowing(() -> dispatcher.listen(8)))
                .withMessageContaining("cannot listen on 127.0.0.1:" + address.getPort());
            assertThat(dispatcher.isAccepting()).isFalse();
            this.fixture.runOnLoop(dispatcher::close);
        }
    }

    @Test
    void bindingADatagramPortInUseFailsNamingTheAddress() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            InetSocketAddress address = (InetSocketAddress) taken.getLocalSocketAddress();
            Dispatcher dispatcher = this.fixture.onLoop(() -> {
                Dispatcher created = new RecordingDispatcher(this.fixture.map);
                created.createSocket(StandardProtocolFamily.INET, SocketType.DATAGRAM);
                return created;
            });
            assertThatExceptionOfType(BindException.class)
                .isThrownBy(() -> this.fixture.runOnLoopRethrowing(() -> dispatcher.bind(address)))
                .withMessageContaining("cannot bind 127.0.0.1:" + address.getPort());
            this.fixture.runOnLoop(dispatcher::close);
        }
    }

    @Test
    void echoesOverIpv6Loopback() throws Exception {
        InetSocketAddress any6 = new InetSocketAddress(InetAddress.getByName("::1"), 0);
        TestListener listener = this.fixture.onLoop(() -> new TestListener(this.fixture.map,
                StandardProtocolFamily.INET6, any6, (channel) -> new Echo(channel, this.fixture.map)));
        assertThat(listener.address().getAddress()).isInstanceOf(Inet6Address.class);
        assertThat(listener.toString()).contains("listening [0:0:0:0:0:0:0:1]:");
        try (BlockingClient client = BlockingClient.connect(listener.address())) {
            client.write("over v6");
            assertThat(client.readExactly("over v6")).isEqualTo("over v6");
            await().atMost(LoopFixture.WAIT).until(() -> listener.accepted.size() == 1);
            assertThat(((InetSocketAddress) listener.accepted.get(0).getRemoteAddress()).getAddress())
                .isInstanceOf(Inet6Address.class);
        }
    }

    @Test
    void clientConnectsOverIpv6() throws Exception {
        try (ServerSocket peer = new ServerSocket(0, 8, InetAddress.getByName("::1"))) {
            RecordingDispatcher client = this.fixture.onLoop(() -> {
                RecordingDispatcher created = new RecordingDispatcher(this.fixture.map);
                created.writable = true;
                created.createSocket(StandardProtocolFamily.INET6, SocketType.STREAM);
                created.connect(peer.getLocalSocketAddress());
                return created;
            });
            try (var accepted = peer.accept()) {
                await().atMost(LoopFixture.WAIT).until(() -> client.events.contains("write"));
                assertThat(client.events).containsExactly("connect", "write");
            }
        }
    }

    @Test
    void echoesOverAUnixDomainSocketAndRemovesItsFileOnClose(@TempDir Path directory) throws Exception {
        UnixDomainSocketAddress path = UnixDomainSocketAddress.of(directory.resolve("echo.sock"));
        TestListener listener = this.fixture.onLoop(() -> new TestListener(this.fixture.map,
                StandardProtocolFamily.UNIX, path, (channel) -> new Echo(channel, this.fixture.map)));
        assertThat(Files.exists(path.getPath())).isTrue();
        assertThat(listener.toString()).contains("listening " + path.getPath());
        try (SocketChannel client = SocketChannel.open(path)) {
            client.write(ByteBuffer.wrap("over a file".getBytes(StandardCharsets.UTF_8)));
            ByteBuffer answer = ByteBuffer.allocate(11);
            while (answer.hasRemaining() && client.read(answer) >= 0) {
                // blocking read until the whole echo is back
            }
            assertThat(new String(answer.array(), StandardCharsets.UTF_8)).isEqualTo("over a file");
        }
        this.fixture.runOnLoop(listener::close);
        assertThat(Files.exists(path.getPath())).isFalse();
    }

    @Test
    void unixDomainClientConnectsThroughTheFirstEvent(@TempDir Path directory) throws Exception {
        UnixDomainSocketAddress path = UnixDomainSocketAddress.of(directory.resolve("peer.sock"));
        TestListener listener = this.fixture.onLoop(() -> new TestListener(this.fixture.map,
                StandardProtocolFamily.UNIX, path, (channel) -> new RecordingDispatcher(channel, this.fixture.map)));
        RecordingDispatcher client = this.fixture.onLoop(() -> {
            RecordingDispatcher created = new RecordingDispatcher(this.fixture.map);
            created.sendOnWrite = "hello";
            created.writable = true;
            created.createSocket(StandardProtocolFamily.UNIX, SocketType.STREAM);
            created.connect(path);
            assertThat(created.events).as("handleConnect never runs inside connect()").isEmpty();
            return created;
        });
        RecordingDispatcher server = listener.awaitAccepted();
        await().atMost(LoopFixture.WAIT).until(() -> server.received.length() == 5);
        assertThat(client.events).containsExactly("connect", "write");
        assertThat(client.kind()).isEqualTo(ChannelKind.CLIENT);
        assertThat(server.kind()).isEqualTo(ChannelKind.CONNECTION);
    }

    @Test
    void unixDomainDatagramSocketsAreRejectedClearly() {
        assertThatThrownBy(() -> this.fixture.runOnLoopRethrowing(() -> new Dispatcher(this.fixture.map)
            .createSocket(StandardProtocolFamily.UNIX, SocketType.DATAGRAM)))
            .isInstanceOf(UnsupportedOperationException.class)
            .hasMessageContaining("Unix-domain datagram");
    }

    @Test
    void udpRoundTripWithThePeersAddress() throws Exception {
        UdpEcho echo = this.fixture.onLoop(() -> new UdpEcho(this.fixture.map));
        assertThat(echo.kind()).isEqualTo(ChannelKind.DATAGRAM);
        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            client.setSoTimeout(10_000);
            for (String message : List.of("first", "second datagram")) {
                byte[] data = message.getBytes(StandardCharsets.UTF_8);
                client.send(new DatagramPacket(data, data.length, echo.getLocalAddress()));
                DatagramPacket reply = new DatagramPacket(new byte[64], 64);
                client.receive(reply);
                assertThat(new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8)).isEqualTo(message);
                assertThat(reply.getSocketAddress()).isEqualTo(echo.getLocalAddress());
            }
            assertThat(echo.senders).containsOnly(client.getLocalSocketAddress());
            // the reply can arrive before the loop thread has counted the bytes it sent
            await().atMost(LoopFixture.WAIT)
                .until(() -> this.fixture.map.snapshot(echo.id()).orElseThrow().bytesWritten() == 5 + 15);
            ChannelSnapshot snapshot = this.fixture.map.snapshot(echo.id()).orElseThrow();
            assertThat(snapshot.bytesRead()).isEqualTo(5 + 15);
            assertThat(snapshot.state()).isEqualTo(ChannelState.OPEN);
        }
    }

    @Test
    void connectedUdpSocketUsesSendAndRecv() throws Exception {
        try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            peer.setSoTimeout(10_000);
            RecordingDispatcher client = this.fixture.onLoop(() -> {
                RecordingDispatcher created = new RecordingDispatcher(this.fixture.map);
                created.sendOnWrite = "ping";
                created.writable = true;
                created.createSocket(StandardProtocolFamily.INET, SocketType.DATAGRAM);
                created.connect(peer.getLocalSocketAddress());
                return created;
            });
            DatagramPacket request = new DatagramPacket(new byte[16], 16);
            peer.receive(request);
            assertThat(new String(request.getData(), 0, request.getLength(), StandardCharsets.UTF_8)).isEqualTo("ping");
            byte[] pong = "pong".getBytes(StandardCharsets.UTF_8);
            peer.send(new DatagramPacket(pong, pong.length, request.getSocketAddress()));
            await().atMost(LoopFixture.WAIT).until(() -> client.received.toString().equals("pong"));
            assertThat(client.events).containsExactly("connect", "write", "read");
            assertThat(client.isConnected()).isTrue();
        }
    }

    /** Echoes every stream byte back through a buffered dispatcher. */
    static final class Echo extends BufferedDispatcher {

        Echo(SocketChannel channel, ChannelMap map) throws IOException {
            super(channel, map);
        }

        @Override
        public void handleRead() throws IOException {
            byte[] data = recv(8192);
            if (data.length > 0) {
                send(data);
            }
        }

    }

    /** Sends each datagram back to its sender. */
    static final class UdpEcho extends Dispatcher {

        final List<SocketAddress> senders = new CopyOnWriteArrayList<>();

        private final ByteBuffer buffer = ByteBuffer.allocate(2048);

        UdpEcho(ChannelMap map) throws IOException {
            super(map);
            createSocket(StandardProtocolFamily.INET, SocketType.DATAGRAM);
            bind(LoopFixture.loopback());
        }

        @Override
        public boolean writable() {
            return false;
        }

        @Override
        public void handleRead() throws IOException {
            this.buffer.clear();
            SocketAddress sender = receiveFrom(this.buffer);
            if (sender != null) {
                this.senders.add(sender);
                sendTo(this.buffer.flip(), sender);
            }
        }

    }

}
