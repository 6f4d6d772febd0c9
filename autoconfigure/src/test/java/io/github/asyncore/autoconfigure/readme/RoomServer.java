package io.github.asyncore.autoconfigure.readme;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

import io.github.asyncore.core.ChannelGroup;
import io.github.asyncore.core.Dispatcher;

import org.springframework.stereotype.Component;

@Component
public class RoomServer extends Dispatcher {

    private final ChannelGroup<RoomMember> members = new ChannelGroup<>("room");

    @Override
    public void handleAccepted(SocketChannel channel, SocketAddress address) throws IOException {
        this.members.add(new RoomMember(channel, this.members)); // it leaves the group when it closes
    }

    /** Any thread: a @Scheduled method, a message listener, a controller. */
    public int announce(String text) {
        return this.members.broadcast(("* " + text + "\n").getBytes(StandardCharsets.UTF_8));
    }

}
