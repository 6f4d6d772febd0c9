package io.github.asyncore.core.internal.channel;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

import io.github.asyncore.core.internal.loop.OutputMemoryExhaustedException;
import io.github.asyncore.core.internal.tls.TlsLayer;
import io.github.asyncore.core.internal.transport.DisconnectErrors;
import io.github.asyncore.core.internal.transport.Transport;

/**
 * A channel's bytes in and out: through its TLS layer when it has one, then its transport, each call counted
 * once (the channel's figures and its dispatcher name's, on one clock reading), with asyncore's turning of
 * end-of-stream and disconnects into {@code handleEndOfStream} and {@code handleClose}. Loop thread. Not API.
 */
public final class BytePath {

    private static final byte[] EMPTY = new byte[0];

    private final ChannelCore channel;

    BytePath(ChannelCore channel) {
        this.channel = channel;
    }

    /**
     * The one byte path in: reads (through the TLS layer when there is one), and turns end-of-stream and
     * disconnects into handleEndOfStream and handleClose.
     * @param buffer where to put the bytes
     * @return bytes read, 0 when none were waiting, -1 when the peer is gone
     * @throws IOException on socket errors other than disconnects
     */
    public int read(ByteBuffer buffer) throws IOException {
        int read;
        TlsLayer layer = this.channel.tls().layer();
        try {
            read = (layer == null) ? readSocket(buffer) : layer.read(buffer);
        }
        catch (IOException ex) {
            if (endsChannel(ex, layer)) {
                return -1;
            }
            throw ex;
        }
        if (read < 0) {
            this.channel.errors().endOfStream();
            return -1;
        }
        return read;
    }

    /**
     * The one byte path out: writes (through the TLS layer when there is one); disconnects become
     * handleClose. When the JVM has no direct memory for the write (the JDK copies heap buffers through a
     * direct one), the channel is closed for its output and nothing is written.
     * @param data the bytes; its position advances past those taken
     * @return bytes taken
     * @throws IOException on socket errors other than disconnects
     */
    public int write(ByteBuffer data) throws IOException {
        TlsLayer layer = this.channel.tls().layer();
        try {
            return (layer == null) ? writeSocket(data) : layer.write(data);
        }
        catch (IOException ex) {
            if (endsChannel(ex, layer)) {
                return 0;
            }
            throw ex;
        }
        catch (OutOfMemoryError ex) {
            if (!OutputMemoryExhaustedException.isDirectMemoryError(ex)) {
                throw ex;
            }
            this.channel.bounds().exceeded(OutputOverflow.MEMORY, this.channel.bounds().pending(), "the JVM's direct buffer memory is"
                    + " used up (" + ex.getMessage() + ")");
            return 0;
        }
    }

    /**
     * The I/O errors a read or write turns into the end of the channel rather than throwing: a failed TLS
     * handshake (reported and closed) and a disconnect (asyncore's {@code handle_close}).
     * @return whether the error was taken care of; {@code false}: the caller throws it
     */
    private boolean endsChannel(IOException error, TlsLayer layer) throws IOException {
        if (layer != null && layer.handshakeEnded()) {
            this.channel.tls().failAndClose(error);
            return true;
        }
        if (DisconnectErrors.isDisconnect(error)) {
            this.channel.errors().peerGone();
            return true;
        }
        return false;
    }

    /**
     * Reads bytes off the socket as they are (ciphertext, under TLS), and counts them.
     * @param buffer where to put them
     * @return bytes read, 0 when none were waiting, -1 at end-of-stream
     * @throws IOException on socket errors
     */
    int readSocket(ByteBuffer buffer) throws IOException {
        int read = requireTransport().read(buffer);
        if (read > 0) {
            countRead(read);
        }
        return read;
    }

    /**
     * Writes bytes to the socket as they are (ciphertext, under TLS), and counts them.
     * @param data the bytes
     * @return bytes written
     * @throws IOException on socket errors
     */
    int writeSocket(ByteBuffer data) throws IOException {
        int written = requireTransport().write(data);
        if (written > 0) {
            countWritten(written);
        }
        return written;
    }

    /**
     * Counts bytes read: the channel's figures and its dispatcher name's, on one clock reading.
     * @param bytes how many
     */
    public void countRead(int bytes) {
        this.channel.statistics().read(bytes, clock());
        this.channel.traffic().bytesRead(bytes);
    }

    /**
     * Counts bytes written: the channel's figures and its dispatcher name's, on one clock reading.
     * @param bytes how many
     */
    public void countWritten(int bytes) {
        this.channel.statistics().written(bytes, clock());
        this.channel.traffic().bytesWritten(bytes);
    }

    /** @return the loop's clock inside a handler (read once per dispatch), else the system's */
    private long clock() {
        return this.channel.inHandler ? this.channel.loopStatistics.now : System.nanoTime();
    }

    private Transport requireTransport() {
        Transport current = this.channel.transport;
        if (current == null) {
            throw new IllegalStateException(this.channel.handler() + " is neither connected nor listening");
        }
        return current;
    }

    /**
     * asyncore's {@code recv(buffer_size)}: reads up to {@code maxBytes} into a new array.
     * @param maxBytes the most bytes to read
     * @return the bytes read; empty when none were waiting or the peer is gone
     * @throws IOException on socket errors other than disconnects
     */
    public byte[] readArray(int maxBytes) throws IOException {
        ByteBuffer buffer = this.channel.context().buffers().readBuffer(maxBytes);
        buffer.limit(maxBytes);
        int read = read(buffer);
        if (read <= 0) {
            return EMPTY;
        }
        byte[] data = new byte[read];
        buffer.get(0, data);
        return data;
    }

    /**
     * The allocation-free {@code recv}: reads up to the receive buffer size into the buffer the loop lends.
     * @return the bytes read, from position to limit
     * @throws IOException on socket errors other than disconnects
     */
    public ByteBuffer readLent() throws IOException {
        int size = this.channel.settings().receiveBufferSize();
        ByteBuffer buffer = this.channel.context().buffers().readBuffer(size);
        buffer.limit(size);
        read(buffer);
        return buffer.flip();
    }

    /**
     * Sends one datagram, counted.
     * @param data the datagram
     * @param target where to
     * @return the bytes sent, 0 when the socket buffer had no room
     * @throws IOException on socket errors
     */
    public int sendTo(ByteBuffer data, SocketAddress target) throws IOException {
        int sent = this.channel.setup().datagram().send(data, target);
        if (sent > 0) {
            countWritten(sent);
        }
        return sent;
    }

    /**
     * Receives one datagram, counted.
     * @param buffer where to put it
     * @return the sender, or {@code null} when none was waiting
     * @throws IOException on socket errors
     */
    public SocketAddress receiveFrom(ByteBuffer buffer) throws IOException {
        int before = buffer.position();
        SocketAddress sender = this.channel.setup().datagram().receive(buffer);
        if (sender != null) {
            countRead(buffer.position() - before);
        }
        return sender;
    }

}
