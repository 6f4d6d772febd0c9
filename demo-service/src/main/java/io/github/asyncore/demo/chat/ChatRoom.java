package io.github.asyncore.demo.chat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Who is in the chat and under which nick. Sessions may live on different event loops, so the room is
 * safe from any thread; it sends with {@link ChatSession#say(String)}, which hands the line to the
 * session's own loop.
 */
class ChatRoom {

    private static final Pattern NICK = Pattern.compile("[A-Za-z0-9_-]{1,20}");

    private final Map<ChatSession, String> nicks = new ConcurrentHashMap<>();

    private final AtomicInteger guests = new AtomicInteger();

    /** @return the guest nick the new session gets */
    String join(ChatSession session) {
        String nick = "guest-" + this.guests.incrementAndGet();
        this.nicks.put(session, nick);
        return nick;
    }

    void leave(ChatSession session) {
        this.nicks.remove(session);
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

    /** Sends the line to every session but {@code from}. */
    void broadcast(ChatSession from, String line) {
        for (ChatSession session : this.nicks.keySet()) {
            if (session != from) {
                session.say(line);
            }
        }
    }

}
