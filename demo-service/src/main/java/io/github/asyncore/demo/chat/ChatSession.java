package io.github.asyncore.demo.chat;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

import io.github.asyncore.core.AsyncChat;
import io.github.asyncore.demo.support.TokenBucket;

/**
 * One chatter. Lines end with {@code \n} or {@code \r\n}; a line starting with {@code /} is a command:
 * {@code /nick NAME}, {@code /who}, {@code /quit}. Control characters are removed from what is relayed
 * ({@link ChatText}), and lines past the chatter's rate are dropped with one notice.
 */
class ChatSession extends AsyncChat {

    private final ChatRoom room;

    private final TokenBucket rate;

    private final double linesPerSecond;

    /** Whether the chatter was told that lines are being dropped, since its last line that went through. */
    private boolean toldTooFast;

    /** The chatter's nick; {@code null} until the room gave one, and nothing is read from the chatter before. */
    private volatile String nick;

    /** Whether a {@code /nick} waits for the room's answer: a second one is refused meanwhile. Loop thread. */
    private boolean renaming;

    private volatile boolean left;

    ChatSession(SocketChannel channel, ChatRoom room, ChatProperties properties) throws IOException {
        super(channel);
        this.room = room;
        this.linesPerSecond = properties.maxLinesPerSecond();
        this.rate = new TokenBucket(properties.maxLinesPerSecond(), properties.burst(), System.nanoTime());
        setTerminator("\n");
        room.join(this).thenAccept((given) -> executor().execute(() -> welcome(given)));
    }

    private void welcome(String given) {
        if (this.left) {
            return;
        }
        this.nick = given;
        say("* welcome to the asyncore chat, " + given + "; commands: /nick NAME, /who, /quit");
        this.room.enter(this);
        this.room.broadcast(this, "* " + given + " joined");
    }

    /** Reads nothing until the chatter has a nick: what it sends before waits in the socket. */
    @Override
    public boolean readable() {
        return this.nick != null;
    }

    @Override
    public void foundTerminator() throws IOException {
        String line = ChatText.printable(new String(takeData(), StandardCharsets.UTF_8)).stripTrailing();
        if (!this.rate.tryTake(System.nanoTime())) {
            if (!this.toldTooFast) {
                this.toldTooFast = true;
                say("! more than " + formatRate() + " lines a second; lines are dropped until you slow down");
            }
            return;
        }
        this.toldTooFast = false;
        if (line.equals("/quit")) {
            say("* bye");
            closeWhenDone();
        }
        else if (line.equals("/who")) {
            this.room.who().thenAccept((nicks) -> say("* in the room: " + String.join(", ", nicks)));
        }
        else if (line.startsWith("/nick ")) {
            rename(line.substring("/nick ".length()).strip());
        }
        else if (line.startsWith("/")) {
            say("! unknown command " + line.split(" ", 2)[0] + "; try /nick NAME, /who or /quit");
        }
        else if (!line.isEmpty()) {
            this.room.broadcast(this, "[" + this.nick + "] " + line);
        }
    }

    @Override
    public void handleOversizedFrame(long frameLength) throws IOException {
        say("! line longer than " + getSettings().maxFrameSize() + " bytes; closing");
        closeWhenDone();
    }

    @Override
    public void handleClose() {
        this.left = true;
        this.room.leave(this);
        if (this.nick != null) {
            this.room.broadcast(this, "* " + this.nick + " left");
        }
        close();
    }

    /**
     * Takes a guest nick instead of {@code lost}, which another instance holds. Any thread; nothing if the
     * chatter's nick is another by then.
     */
    void nickLost(String lost) {
        executor().execute(() -> {
            if (!this.left && lost.equals(this.nick)) {
                this.room.replaceLostNick(this, lost)
                    .thenAccept((given) -> executor().execute(() -> replacedLostNick(lost, given)));
            }
        });
    }

    private void replacedLostNick(String lost, String given) {
        if (this.left || !lost.equals(this.nick)) {
            return;
        }
        this.nick = given;
        say("* '" + lost + "' was taken on another server while the servers could not reach each other; you are now "
                + given);
        this.room.broadcast(this, "* " + lost + " is now " + given);
    }

    /** @return whether the chatter left (or was closed): the room no longer takes it in. Any thread. */
    boolean hasLeft() {
        return this.left;
    }

    private String formatRate() {
        return (this.linesPerSecond == Math.rint(this.linesPerSecond)) ? Long.toString((long) this.linesPerSecond)
                : Double.toString(this.linesPerSecond);
    }

    /** Sends one line to this chatter; any thread. */
    void say(String line) {
        try {
            push((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        catch (IOException ex) {
            handleError(ex);
        }
    }

    private void rename(String wanted) {
        if (this.renaming) {
            say("! still taking your last nick; try again in a moment");
            return;
        }
        this.renaming = true;
        this.room.rename(this, wanted).thenAccept((refused) -> executor().execute(() -> renamed(wanted, refused)));
    }

    private void renamed(String wanted, String refused) {
        this.renaming = false;
        if (this.left) {
            return;
        }
        if (refused != null) {
            say("! " + refused);
            return;
        }
        String old = this.nick;
        this.nick = wanted;
        say("* you are now " + wanted);
        this.room.broadcast(this, "* " + old + " is now " + wanted);
    }

}
