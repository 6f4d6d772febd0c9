package io.github.asyncore.demo.reliability;

import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.asyncore.core.ChannelKind;
import io.github.asyncore.core.ChannelSnapshot;
import io.github.asyncore.core.EventLoopGroup;

/** The server's side of test clients, found in the loops' snapshots by the clients' ports. */
final class Connections {

    private Connections() {
    }

    /** @return the server's connection whose peer is the client on {@code clientPort} */
    static Optional<ChannelSnapshot> of(EventLoopGroup loops, int clientPort) {
        return loops.snapshot().stream().filter((channel) -> isFrom(channel, clientPort)).findFirst();
    }

    /** @return the server's connections whose peers are among the given client ports */
    static List<ChannelSnapshot> of(EventLoopGroup loops, Collection<Integer> clientPorts) {
        Set<Integer> ports = Set.copyOf(clientPorts);
        return loops.snapshot()
            .stream()
            .filter((channel) -> channel.kind() == ChannelKind.CONNECTION
                    && channel.remoteAddress() instanceof InetSocketAddress remote && ports.contains(remote.getPort()))
            .toList();
    }

    /** @return the ids of every live channel */
    static Set<Long> ids(EventLoopGroup loops) {
        return loops.snapshot().stream().map(ChannelSnapshot::id).collect(Collectors.toSet());
    }

    private static boolean isFrom(ChannelSnapshot channel, int clientPort) {
        return channel.kind() == ChannelKind.CONNECTION && channel.remoteAddress() instanceof InetSocketAddress remote
                && remote.getPort() == clientPort;
    }

}
