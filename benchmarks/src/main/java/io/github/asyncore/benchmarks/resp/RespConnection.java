package io.github.asyncore.benchmarks.resp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

import io.github.asyncore.core.BufferedDispatcher;
import io.github.asyncore.core.ChannelSettings;

/**
 * One client connection: reads, runs every complete command in the bytes read, in order, and sends all
 * their replies with one {@link #send(ByteBuffer)} per read (written in one go once the handler returns).
 * <p>
 * A {@link BufferedDispatcher} rather than an {@link io.github.asyncore.core.AsyncChat}: RESP frames by
 * lengths inside the frame ({@code *N}, then {@code $len} before each argument), so asynchat's way (a
 * {@code \r\n} terminator for each header, a count terminator for each bulk string) would call
 * {@code foundTerminator} five times for a GET and copy every argument; parsing the bytes in place, as
 * redis-server does, needs neither.
 * <p>
 * The bytes of a command that has not fully arrived are kept in an array of this connection's (dropped
 * when it is empty and large, so an idle connection holds at most 4 KiB); the rest (the parser, the
 * reply buffer, the data) is shared by the loop's connections. The kept bytes are bounded by the channel's
 * {@link ChannelSettings#maxFrameSize() max-frame-size}: a command still incomplete past it is a protocol
 * error. A protocol error, like {@code QUIT}, replies and closes once the reply is written; bytes that
 * arrive meanwhile are read and dropped. Loop thread only.
 */
final class RespConnection extends BufferedDispatcher {

    private static final byte[] NONE = new byte[0];

    /** A kept array larger than this is dropped once it is empty again. */
    private static final int RETAINED_CAPACITY = 4096;

    private final RespServer.Loop loop;

    private byte[] pending = NONE;

    private int pendingLength;

    private boolean ending;

    RespConnection(SocketChannel channel, RespServer.Loop loop) throws IOException {
        super(channel);
        this.loop = loop;
    }

    @Override
    public void handleRead() throws IOException {
        ByteBuffer input = recv();
        int read = input.remaining();
        if (read == 0 || this.ending) {
            return; // nothing, the end of the stream (already handled), or input after QUIT: dropped
        }
        byte[] bytes;
        int length;
        if (this.pendingLength == 0) {
            bytes = this.loop.scratch(read);
            input.get(bytes, 0, read);
            length = read;
        }
        else {
            ensurePending(this.pendingLength + read);
            input.get(this.pending, this.pendingLength, read);
            bytes = this.pending;
            length = this.pendingLength + read;
        }
        RespReply out = this.loop.reply();
        out.begin(this);
        int consumed = runCommands(bytes, length, out);
        if (!this.ending) {
            keep(bytes, consumed, length - consumed, out);
        }
        out.send();
        if (this.ending) {
            this.pendingLength = 0;
            this.pending = NONE;
            closeWhenDone();
        }
    }

    /** @return how many bytes the complete commands took; sets {@link #ending} on QUIT or a protocol error */
    private int runCommands(byte[] bytes, int length, RespReply out) throws IOException {
        RespParser parser = this.loop.parser();
        RespCommands commands = this.loop.commands();
        int at = 0;
        while (at < length) {
            int next = parser.parse(bytes, at, length);
            if (next == RespParser.INCOMPLETE) {
                break;
            }
            if (next == RespParser.ERROR) {
                out.error("ERR Protocol error: " + parser.error());
                this.ending = true;
                break;
            }
            at = next;
            if (parser.count() > 0 && commands.run(bytes, parser, out) == RespCommands.Next.CLOSE) {
                this.ending = true;
                break;
            }
        }
        return at;
    }

    /** Keeps the bytes of an incomplete command for the next read, within the max-frame-size. */
    private void keep(byte[] bytes, int from, int length, RespReply out) throws IOException {
        if (length > getSettings().maxFrameSize()) {
            out.error("ERR Protocol error: request of more than " + getSettings().maxFrameSize()
                    + " bytes (max-frame-size)");
            this.ending = true;
            return;
        }
        if (length == 0) {
            this.pendingLength = 0;
            if (this.pending.length > RETAINED_CAPACITY) {
                this.pending = NONE;
            }
            return;
        }
        if (bytes != this.pending) {
            ensurePending(length);
        }
        System.arraycopy(bytes, from, this.pending, 0, length);
        this.pendingLength = length;
    }

    private void ensurePending(int capacity) {
        if (this.pending.length < capacity) {
            byte[] larger = new byte[Math.max(capacity, Math.max(256, this.pending.length * 2))];
            System.arraycopy(this.pending, 0, larger, 0, this.pendingLength);
            this.pending = larger;
        }
    }

}
