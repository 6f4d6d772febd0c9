package io.github.asyncore.core.internal.channel;

import java.net.SocketAddress;
import java.util.Locale;

import io.github.asyncore.core.ChannelSnapshot;
import io.github.asyncore.core.internal.transport.Sockets;

/**
 * What observers see of a channel: its snapshot, asyncore's repr ({@code <Type name #id state address>}),
 * its {@code addr}, and the state of its input and output for log lines. Any thread: it reads the core's
 * volatile state. Not API.
 */
public final class ChannelDescription {

    private final ChannelCore channel;

    ChannelDescription(ChannelCore channel) {
        this.channel = channel;
    }

    /** @return a snapshot for observers */
    public ChannelSnapshot snapshot() {
        ChannelCore core = this.channel;
        ChannelStatistics statistics = core.statistics();
        EventRouter router = core.router();
        return new ChannelSnapshot(core.id(), core.name(), core.handler().className(), core.kind(), core.state(),
                core.localAddress(), core.remoteAddress(), router.evaluatedReadable(), router.evaluatedWritable(),
                statistics.bytesRead(), statistics.bytesWritten(), core.bounds().pending(), statistics.createdAt(),
                statistics.lastReadAt(), statistics.lastWriteAt(), core.context().name(), core.isInputEnded(),
                core.isOutputShutdown(), core.tls().status(), core.isWritable(), core.settings().outputLimit(),
                core.diagnostics().findings());
    }

    /** @return asyncore's {@code addr}: the peer, or the local address of a listener or unconnected socket */
    public SocketAddress address() {
        SocketAddress remote = this.channel.remoteAddress();
        return (this.channel.isAccepting() || remote == null) ? this.channel.localAddress() : remote;
    }

    /**
     * asyncore's repr, leaving out the name when it is the type's and the id when the name ends with it.
     * @param type the facade's simple class name
     * @return the text, for example {@code <EchoHandler echoServer#7 connected 127.0.0.1:50412>}
     */
    public String describe(String type) {
        String name = this.channel.name();
        String id = "#" + this.channel.id();
        StringBuilder text = new StringBuilder("<").append(type);
        if (!name.equals(type)) {
            text.append(' ').append(name);
        }
        if (!name.endsWith(id)) {
            text.append(' ').append(id);
        }
        text.append(' ').append(this.channel.state().name().toLowerCase(Locale.ROOT));
        SocketAddress address = address();
        if (address != null) {
            text.append(' ').append(Sockets.format(address));
        }
        return text.append('>').toString();
    }

    /** @return what the channel waits for, for logs: output owed and whether it reads */
    public String ioState() {
        ChannelCore core = this.channel;
        String reading = core.readSuspended ? "input ended"
                : core.bounds().readPaused() ? "reading paused by the water marks"
                : core.router().evaluatedReadable() ? "reading" : "not readable";
        return core.bounds().pending() + " bytes unsent, " + reading;
    }

}
