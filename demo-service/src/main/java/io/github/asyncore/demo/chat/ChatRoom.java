package io.github.asyncore.demo.chat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
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
 * <p>
 * Nicks are unique in the room: among this instance's chatters by the room itself, and across instances by
 * its {@link NickRegistry}, which may answer later and on another thread; so joining, renaming and listing
 * answer with futures, and a nick being claimed is reserved here meanwhile.
 */
@Component
class ChatRoom {

    private static final Pattern NICK = Pattern.compile("[A-Za-z0-9_-]{1,20}");

    /** How many guest nicks a joining chatter is offered before it takes one that another instance may hold. */
    private static final int GUEST_ATTEMPTS = 50;

    private final ChannelGroup<ChatSession> sessions = new ChannelGroup<>("chat");

    private final Map<ChatSession, String> nicks = new ConcurrentHashMap<>();

    /** Nicks being claimed from the registry for a chatter here: nobody else here may take them meanwhile. */
    private final Set<String> claiming = new HashSet<>();

    private int guests;

    /** Where this instance's lines go besides its own chatters (another instance's room); none by default. */
    private volatile Consumer<String> relay = (line) -> {
    };

    private volatile NickRegistry registry = NickRegistry.LOCAL;

    /**
     * Gives a new session a guest nick: {@code guest-N}, the first N that nobody has, here or (through the
     * registry) elsewhere. The session receives the room's lines once it {@linkplain #enter enters}.
     * @return the session's nick, once claimed
     */
    CompletableFuture<String> join(ChatSession session) {
        return offerGuestNick(session, null, GUEST_ATTEMPTS);
    }

    /**
     * Gives the chatters here whose nicks another instance holds (granted there while the instances could not
     * ask each other) guest nicks instead. Any thread.
     * @param lost the nicks another instance holds
     */
    void nicksLost(List<String> lost) {
        this.nicks.forEach((session, nick) -> {
            if (lost.contains(nick)) {
                session.nickLost(nick);
            }
        });
    }

    /**
     * Gives a chatter whose nick another instance holds a guest nick, as {@link #join} does.
     * @return the session's new nick, once claimed
     */
    CompletableFuture<String> replaceLostNick(ChatSession session, String lost) {
        return offerGuestNick(session, lost, GUEST_ATTEMPTS);
    }

    /** @param replaced the nick the session has now, {@code null} for a session that is joining */
    private CompletableFuture<String> offerGuestNick(ChatSession session, String replaced, int attemptsLeft) {
        String nick = reserveGuestNick();
        return this.registry.claim(nick).thenCompose((claimed) -> {
            if (claimed || attemptsLeft <= 1) {
                admit(session, replaced, nick);
                return CompletableFuture.completedFuture(nick);
            }
            unreserve(nick);
            return offerGuestNick(session, replaced, attemptsLeft - 1);
        });
    }

    private synchronized String reserveGuestNick() {
        String nick;
        do {
            nick = "guest-" + (++this.guests);
        }
        while (isTakenHere(nick));
        this.claiming.add(nick);
        return nick;
    }

    private void admit(ChatSession session, String replaced, String nick) {
        synchronized (this) {
            this.claiming.remove(nick);
            if (!session.hasLeft() && Objects.equals(this.nicks.get(session), replaced)) {
                this.nicks.put(session, nick);
                return;
            }
        }
        this.registry.release(nick); // the chatter left, or took another nick, while this one was claimed
    }

    /**
     * Starts sending the room's lines to a session that {@linkplain #join joined}. Called on the session's loop
     * after its welcome, so that the welcome is the first line it gets.
     */
    synchronized void enter(ChatSession session) {
        if (this.nicks.containsKey(session)) {
            this.sessions.add(session);
        }
    }

    private synchronized void unreserve(String nick) {
        this.claiming.remove(nick);
    }

    private boolean isTakenHere(String nick) {
        return this.claiming.contains(nick) || this.nicks.containsValue(nick);
    }

    /** Takes the session out of the room and gives its nick back. Any thread; nothing if it never joined. */
    void leave(ChatSession session) {
        String nick;
        synchronized (this) {
            nick = this.nicks.remove(session);
            this.sessions.remove(session);
        }
        if (nick != null) {
            this.registry.release(nick);
        }
    }

    /**
     * Gives the session another nick, unless somebody here or elsewhere has it.
     * @return {@code null} once the session has that nick, else why not
     */
    CompletableFuture<String> rename(ChatSession session, String nick) {
        if (!NICK.matcher(nick).matches()) {
            return CompletableFuture.completedFuture("a nick is 1 to 20 letters, digits, '-' or '_'");
        }
        synchronized (this) {
            if (isTakenHere(nick)) {
                return CompletableFuture.completedFuture("'" + nick + "' is taken");
            }
            this.claiming.add(nick);
        }
        return this.registry.claim(nick).thenApply((claimed) -> {
            String old;
            synchronized (this) {
                this.claiming.remove(nick);
                if (!claimed) {
                    return "'" + nick + "' is taken";
                }
                old = this.nicks.get(session);
                if (old != null) {
                    this.nicks.put(session, nick);
                }
            }
            // the old nick, or the new one when the chatter left while it was claimed
            this.registry.release((old != null) ? old : nick);
            return null;
        });
    }

    /** @return the nicks in the room, here and (through the registry) elsewhere, sorted */
    CompletableFuture<List<String>> who() {
        return this.registry.list(nicksHere());
    }

    /** @return the nicks of this instance's chatters, sorted */
    List<String> nicksHere() {
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

    /** @param registry who else holds nicks: asked on every join, rename and listing from now on */
    void nicksHeldBy(NickRegistry registry) {
        this.registry = registry;
    }

}
