package io.github.asyncore.core;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link ChannelGroup}: members join and leave (by themselves when they close), a broadcast from any
 * thread reaches every chosen member of every loop in order, and slow members are skipped or queued for
 * as the group's policy says.
 */
class ChannelGroupTest {

    private final EventLoopGroup loops = new EventLoopGroup("channel-group", 2);

    private final List<Socket> peers = new ArrayList<>();

    @AfterEach
    void close() throws IOException {
        for (Socket peer : this.peers) {
            peer.close();
        }
        this.loops.close();
    }

    @Test
    void membersJoinOnceAndLeaveWhenTheyClose() throws Exception {
        ChannelGroup<DiscardingConnection> group = new ChannelGroup<>("room");
        List<DiscardingConnection> members = connect(3, (member) -> { });
        for (DiscardingConnection member : members) {
            assertThat(group.add(member)).isTrue();
            assertThat(group.add(member)).as("a member joins once").isFalse();
        }
        assertThat(group).hasSize(3).containsExactlyInAnyOrderElementsOf(members);
        assertThat(members).extracting(Dispatcher::map).as("members on both loops").hasSize(3)
            .containsAll(this.loops.maps());

        Iterator<DiscardingConnection> snapshot = group.iterator();
        members.get(0).close();
        await().atMost(LoopFixture.WAIT).until(() -> group.size() == 2);
        assertThat(group.contains(members.get(0))).isFalse();
        assertThat(snapshot).toIterable().as("an iterator sees the members of its moment").hasSize(3);
        assertThat(group.add(members.get(0))).as("a closed channel cannot join").isFalse();

        assertThat(group.remove(members.get(1))).isTrue();
        assertThat(group.remove(members.get(1))).isFalse();
        assertThat(group).containsExactly(members.get(2));
        assertThat(members.get(1).isClosed()).as("removing does not close").isFalse();
        group.clear();
        assertThat(group).isEmpty();
        members.get(2).close();
        await().atMost(LoopFixture.WAIT).until(members.get(2)::isClosed);
        assertThat(group).isEmpty();
        assertThat(group.toString()).isEqualTo("ChannelGroup[room, 0 members]");
    }

    @Test
    void aBroadcastFromAnotherThreadReachesEveryChosenMemberOfEveryLoopInOrder() throws Exception {
        ChannelGroup<DiscardingConnection> group = new ChannelGroup<>("room");
        List<DiscardingConnection> members = connect(4, group::add);
        DiscardingConnection left = members.get(3);
        byte[] line = new byte[8];
        for (int i = 0; i < 100; i++) {
            byte[] text = String.format("line%03d\n", i).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(text, 0, line, 0, line.length);
            assertThat(group.broadcast(line, (member) -> member != left)).isEqualTo(3);
            line[0] = '!'; // the caller may reuse its array at once
        }
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            expected.append(String.format("line%03d\n", i));
        }
        for (int i = 0; i < 3; i++) {
            byte[] received = this.peers.get(i).getInputStream().readNBytes(expected.length());
            assertThat(new String(received, StandardCharsets.US_ASCII)).as("member %d", i).isEqualTo(expected.toString());
        }
        assertThat(group.broadcast("end\n".getBytes(StandardCharsets.US_ASCII))).isEqualTo(4);
        assertThat(new String(this.peers.get(3).getInputStream().readNBytes(4), StandardCharsets.US_ASCII))
            .as("the left-out member gets only what was meant for it")
            .isEqualTo("end\n");
    }

    @Test
    void aBroadcastOnAMembersLoopQueuesForItAtOnce() throws Exception {
        ChannelGroup<DiscardingConnection> group = new ChannelGroup<>("room");
        DiscardingConnection member = connect(1, group::add).get(0);
        int handed = LoopFixture.onLoop(member.map().eventLoop(), () -> {
            int count = group.broadcast("now\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(member.snapshot().bytesWritten() + member.pendingOutputBytes()).isEqualTo(4);
            return count;
        });
        assertThat(handed).isOne();
        assertThat(new String(this.peers.get(0).getInputStream().readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("now\n");
    }

    @Test
    void withTheSkipPolicyAMemberAboveItsHighWaterMarkMissesBroadcasts() throws Exception {
        ChannelGroup<DiscardingConnection> group = new ChannelGroup<>("feed", ChannelGroup.SlowMemberPolicy.SKIP);
        List<DiscardingConnection> members = connect(2, group::add);
        DiscardingConnection slow = members.get(0);
        LoopFixture.onLoop(slow.map().eventLoop(), () -> slow.send(new byte[1024 * 1024])); // its peer reads nothing
        await().atMost(LoopFixture.WAIT).until(() -> !slow.isWritable());

        assertThat(group.broadcast("tick\n".getBytes(StandardCharsets.US_ASCII))).isOne();
        assertThat(group.skipped()).isOne();
        assertThat(new String(this.peers.get(1).getInputStream().readNBytes(5), StandardCharsets.US_ASCII))
            .isEqualTo("tick\n");
        assertThat(slow.pendingOutputBytes()).as("nothing queued for the slow member").isLessThanOrEqualTo(1024 * 1024);

        ChannelGroup<DiscardingConnection> queueing = new ChannelGroup<>("log", ChannelGroup.SlowMemberPolicy.QUEUE);
        queueing.addAll(members);
        long before = slow.pendingOutputBytes();
        assertThat(queueing.broadcast("tock\n".getBytes(StandardCharsets.US_ASCII))).isEqualTo(2);
        await().atMost(LoopFixture.WAIT).until(() -> slow.pendingOutputBytes() == before + 5);
    }

    /** Connects {@code count} peers with small receive buffers; returns their members, in order. */
    private List<DiscardingConnection> connect(int count, Consumer<DiscardingConnection> joined) throws Exception {
        this.loops.start();
        List<DiscardingConnection> members = new CopyOnWriteArrayList<>();
        Dispatcher listener = LoopFixture.onLoop(this.loops.acceptor().eventLoop(), () -> {
            Dispatcher created = new Dispatcher(this.loops.acceptor()) {
                @Override
                public void handleAccepted(SocketChannel channel, SocketAddress address) throws IOException {
                    channel.setOption(StandardSocketOptions.SO_SNDBUF, 8 * 1024);
                    DiscardingConnection member = new DiscardingConnection(channel);
                    joined.accept(member);
                    members.add(member);
                }
            };
            created.createSocket();
            created.bind(LoopFixture.loopback());
            created.listen(16);
            return created;
        });
        int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
        for (int i = 0; i < count; i++) {
            Socket peer = new Socket();
            peer.setReceiveBufferSize(8 * 1024);
            peer.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            peer.setSoTimeout(10_000);
            this.peers.add(peer);
            int joinedSoFar = i + 1;
            await().atMost(LoopFixture.WAIT).until(() -> members.size() == joinedSoFar);
        }
        listener.close();
        return new ArrayList<>(members);
    }

}
