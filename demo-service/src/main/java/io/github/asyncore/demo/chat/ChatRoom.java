package io.github.asyncore.demo.chat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import io.github.asyncore.core.ChannelGroup;

import org.springframework.stereotype.Component;

/**
 * Who is in the chat and under which nick. Sessions may live on different event loops, so the room is
 * safe from any thread. Lines go to everyone through a {@link ChannelGroup}, which copies each line once and
 * hands it to each loop once; a chatter that reads none of it is closed by its output limits, not buffered
 * for without bound.
 */
@Component
class ChatRoom {

    private static final Pattern NICK = Pattern.compile("[A-Za-z0-9_-]{1,20}");

    private final ChannelGroup<ChatSession> sessions = new ChannelGroup<>("chat");

    private final Map<ChatSession, String> nicks = new ConcurrentHashMap<>();

    private int guests;

    /** Where this instance's lines go besides its own chatters (another instance's room); none by default. */
    private volatile Consumer<String> relay = (line) -> {
    };

    /** @return the guest nick the new session gets: {@code guest-N}, never one somebody has already */
    synchronized String join(ChatSession session) {
        String nick;
        do {
            nick = "guest-" + (++this.guests);
        }
        while (this.nicks.containsValue(nick));
        this.nicks.put(session, nick);
        this.sessions.add(session);
        return nick;
    }

    synchronized void leave(ChatSession session) {
        this.nicks.remove(session);
        this.sessions.remove(session);
    }

    /**
     * @return {@code null} when the session now has that nick, else why not
     */
    synchronized String rename(ChatSession session, String nick) {
        if (!NICK.matcher(nick).matches()) {
            return "a nick is 1 to 20 letters, digits, '-' or '_'";
        }
        if (this.nicks.containsValue(nick)) {
            return "'" + nick + "' is taken";
        }
        this.nicks.put(session, nick);
        return null;
    }

    /** @return the nicks in the room, sorted */
    List<String> who() {
        return this.nicks.values().stream().sorted().toList();
    }

    /** Sends the line to every session but {@code from}, and to the relay. Any thread. */
    void broadcast(ChatSession from, String line) {
        this.sessions.broadcast((line + "\r\n").getBytes(StandardCharsets.UTF_8), (session) -> session != from);
        this.relay.accept(line);
    }

    /** Sends a line that came through the relay from another instance to every session here. Any thread. */
    void deliver(String line) {
        this.sessions.broadcast((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    /** @param relay what takes every line this instance's chatters send; called on their loops, must not block */
    void relayTo(Consumer<String> relay) {
        this.relay = relay;
    }

}
