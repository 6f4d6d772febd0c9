package io.github.asyncore.demo.udp;

import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The source ports the UDP echo never answers. An echo that answers another echo, or a chargen, makes a
 * loop that runs until a datagram is lost; a forged source address starts one with a single datagram.
 * Such services listen on low, well-known ports, and every copy of the demo listens on the same port.
 * Stateless and immutable: any thread.
 */
final class SourcePortRules {

    private final int minSourcePort;

    private final Set<Integer> blockedSourcePorts;

    /**
     * @param minSourcePort the lowest source port answered
     * @param blockedSourcePorts source ports never answered, whatever their number
     */
    SourcePortRules(int minSourcePort, Set<Integer> blockedSourcePorts) {
        this.minSourcePort = minSourcePort;
        this.blockedSourcePorts = Set.copyOf(blockedSourcePorts);
    }

    /**
     * @param sourcePort the port a datagram came from
     * @param ownPort the port the server is bound to
     * @return why a datagram from that port gets no answer, or {@code null} when it may be answered
     */
    @Nullable DropReason check(int sourcePort, int ownPort) {
        if (sourcePort == ownPort) {
            return DropReason.OWN_PORT;
        }
        if (this.blockedSourcePorts.contains(sourcePort)) {
            return DropReason.BLOCKED_PORT;
        }
        if (sourcePort < this.minSourcePort) {
            return DropReason.LOW_PORT;
        }
        return null;
    }

}
