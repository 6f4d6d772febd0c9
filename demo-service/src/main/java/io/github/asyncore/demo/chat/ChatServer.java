package io.github.asyncore.demo.chat;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;

import io.github.asyncore.core.Dispatcher;

import org.springframework.stereotype.Component;

/**
 * A line chat in asynchat style: every line a client sends goes to everyone else with the sender's nick.
 * Listens where {@code asyncore.dispatchers.chatServer.address} says (7008 by default); a line longer
 * than that bean's {@code max-frame-size} gets an error and ends that client's session; each chatter may
 * send {@code demo.chat.max-lines-per-second} lines a second (more are dropped).
 */
@Component
public class ChatServer extends Dispatcher {

    private final ChatRoom room;

    private final ChatProperties properties;

    ChatServer(ChatRoom room, ChatProperties properties) {
        this.room = room;
        this.properties = properties;
    }

    @Override
    public void handleAccepted(SocketChannel channel, SocketAddress address) throws IOException {
        new ChatSession(channel, this.room, this.properties);
    }

}
