package io.github.asyncore.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * asyncore's {@code dispatcher_with_send}: {@link #send} queues the bytes and writes what the socket
 * takes at once; the loop writes the rest as the socket drains. {@link #writable()} is {@code true}
 * only while a connect is pending or output waits, so an idle channel costs the loop nothing.
 *
 * <pre>{@code
 * class EchoHandler extends BufferedDispatcher {
 *     EchoHandler(SocketChannel channel) throws IOException {
 *         super(channel);
 *     }
 *
 *     public void handleRead() throws IOException {
 *         byte[] data = recv(8192);
 *         if (data.length > 0) {
 *             send(data);
 *         }
 *     }
 * }
 * }</pre>
 *
 * Output is bounded by the {@linkplain ChannelSettings#writeBufferWaterMark() water marks}: above the
 * high mark the loop stops reading from this channel until the output falls to the low mark, so a peer
 * that does not read cannot make a dispatcher whose output answers its input (an echo, a request and
 * response protocol) buffer without bound. The marks do not slow {@code send} itself: code that sends
 * on its own initiative, from a timer or another thread, should watch {@link #pendingOutputBytes()}.
 * <p>
 * Threads: {@link #send} and {@link #closeWhenDone()} may be called from any thread; from another thread
 * while the loop runs, the bytes are copied and handed to the loop, so each thread's sends arrive in the
 * order it made them. Everything else is as for {@link Dispatcher}.
 */
public class BufferedDispatcher extends Dispatcher {

    private static final Logger logger = LoggerFactory.getLogger(BufferedDispatcher.class);

    private final OutputQueue output = new OutputQueue();

    /** See {@link Dispatcher#Dispatcher()}. */
    public BufferedDispatcher() {
        super();
    }

    /**
     * See {@link Dispatcher#Dispatcher(ChannelMap)}.
     * @param map the map to join
     */
    public BufferedDispatcher(ChannelMap map) {
        super(map);
    }

    /**
     * See {@link Dispatcher#Dispatcher(SelectableChannel)}.
     * @param channel the channel to adopt
     * @throws IOException when the channel cannot be made non-blocking
     */
    public BufferedDispatcher(SelectableChannel channel) throws IOException {
        super(channel);
    }

    /**
     * See {@link Dispatcher#Dispatcher(SelectableChannel, ChannelMap)}.
     * @param channel the channel to adopt
     * @param map the map to join
     * @throws IOException when the channel cannot be made non-blocking
     */
    public BufferedDispatcher(SelectableChannel channel, ChannelMap map) throws IOException {
        super(channel, map);
    }

    /**
     * Queues the buffer's remaining bytes for the peer (consuming them) and writes what the socket takes
     * now. Any thread. Bytes sent after the channel closed are dropped.
     * @param data the bytes; copied if they cannot all be written at once, so the caller may reuse the
     *        buffer when this returns
     * @return the number of bytes accepted: all of them
     * @throws IOException on socket errors other than disconnects (on the loop thread)
     */
    @Override
    public int send(ByteBuffer data) throws IOException {
        int length = data.remaining();
        if (!executor().inEventLoop()) {
            ByteBuffer copy = copyOf(data);
            executor().execute(() -> invoke(() -> enqueue(copy, true)));
            return length;
        }
        enqueue(data, false);
        return length;
    }

    /**
     * Closes the channel once everything queued before this call has been written (asynchat's
     * {@code close_when_done}): {@link #handleClose()} is then called, and the channel closed if that did
     * not. Any thread.
     */
    public void closeWhenDone() {
        if (!executor().inEventLoop()) {
            executor().execute(this::closeWhenDone);
            return;
        }
        if (isClosed()) {
            return;
        }
        this.output.addClose();
        invoke(this::flushIfConnected);
    }

    /** @return {@code true} while a connect is pending or output waits */
    @Override
    public boolean writable() {
        return isConnecting() || !this.output.isEmpty();
    }

    /** Writes queued output. */
    @Override
    public void handleWrite() throws IOException {
        flush();
    }

    /**
     * The peer closed its side: writes everything still queued for it, then calls {@link #handleClose()}
     * (and closes the channel if that did not), so that a request followed by a half-close gets its whole
     * answer. With nothing queued, calls {@link #handleClose()} at once.
     */
    @Override
    public void handleEndOfStream() throws IOException {
        if (this.output.isEmpty()) {
            handleClose();
        }
        else {
            closeWhenDone();
        }
    }

    /**
     * Queues a producer after what is already queued. Loop thread.
     * @param producer makes bytes on demand
     */
    void enqueue(Producer producer) throws IOException {
        if (isClosed()) {
            return;
        }
        this.output.add(producer);
        flushIfConnected();
    }

    /** Drops queued output. Loop thread. */
    void discardOutput() {
        this.output.clear();
        outputChanged(0);
    }

    @Override
    boolean hasPendingOutput() {
        return !this.output.isEmpty();
    }

    /**
     * Writes queued output until the socket stops taking it; closes at a close-when-done marker.
     * Loop thread.
     * @throws IOException on socket errors other than disconnects
     */
    protected final void flush() throws IOException {
        checkInEventLoop("flush");
        while (!isClosed()) {
            ByteBuffer head = this.output.head();
            if (head == null) {
                break;
            }
            int written = write(head);
            if (isClosed()) {
                return;
            }
            this.output.written(head, written);
            if (head.hasRemaining()) {
                break;
            }
        }
        if (!isClosed() && this.output.atClose()) {
            this.output.clear();
            outputChanged(0);
            handleClose();
            close();
            return;
        }
        outputChanged(this.output.pendingBytes());
    }

    private void enqueue(ByteBuffer data, boolean owned) throws IOException {
        if (isClosed()) {
            logger.debug("{}: dropped {} bytes sent after close", this, data.remaining());
            return;
        }
        if (this.output.isEmpty() && isConnected()) {
            write(data);
            if (isClosed()) {
                return;
            }
        }
        if (data.hasRemaining()) {
            this.output.add(owned ? data : copyOf(data));
        }
        outputChanged(this.output.pendingBytes());
    }

    private void flushIfConnected() throws IOException {
        if (isConnected()) {
            flush();
        }
        else {
            outputChanged(this.output.pendingBytes());
        }
    }

    private static ByteBuffer copyOf(ByteBuffer data) {
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data);
        return copy.flip();
    }

}
