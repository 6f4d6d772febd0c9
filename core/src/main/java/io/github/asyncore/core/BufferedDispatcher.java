package io.github.asyncore.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;

import io.github.asyncore.core.internal.channel.OutputOverflow;
import io.github.asyncore.core.internal.channel.ChannelCore;
import io.github.asyncore.core.internal.channel.OutputQueue;
import io.github.asyncore.core.internal.loop.FatalErrors;
import io.github.asyncore.core.internal.loop.OutputMemoryExhaustedException;

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
 * Output is bounded twice. The {@linkplain ChannelSettings#writeBufferWaterMark() water marks}: above
 * the high mark the loop stops reading from this channel until the output falls to the low mark, so a
 * peer that does not read cannot make a dispatcher whose output answers its input (an echo, a request
 * and response protocol) buffer without bound. The {@linkplain ChannelSettings#outputLimit() output
 * limits}: output that others push at the channel (a broadcast, a timer, another thread) is not slowed by
 * the marks, so pending output above the hard limit, or above the soft limit for too long, closes the
 * channel with {@link CloseReason#OUTPUT_LIMIT}, and so does a send for which the loop has no output memory
 * left ({@link ChannelMap#setMaxOutputMemory(long)}). A send is then refused: it returns 0. Code that sends
 * on its own initiative can ask {@link #isWritable()} first and skip or delay a slow peer; a
 * {@link ChannelGroup} broadcasts with either policy.
 * <p>
 * Half-close: {@link #shutdownOutput()} sends end-of-stream once everything queued before it has been
 * written, and the channel goes on reading; bytes sent after it are dropped (and logged). When the peer
 * half-closes, {@link #handleEndOfStream()} writes what is still queued before it closes.
 * <p>
 * Threads: {@link #send}, {@link #closeWhenDone()} and {@link #shutdownOutput()} may be called from any
 * thread; from another thread while the loop runs, the bytes are copied and handed to the loop, so each
 * thread's sends, half-close and close arrive in the order it made them. Such bytes count toward the
 * channel's pending output, and its limits, when {@code send} is called, not when the loop gets to them.
 * Bytes handed in for a socket that closes before the loop gets to them are dropped, also when the
 * dispatcher has a new socket by then ({@link Dispatcher#createSocket(java.net.ProtocolFamily, SocketType)}).
 * Everything else is as for {@link Dispatcher}.
 * <p>
 * Sends made by a handler are gathered and written once the handler returns (one system call for all the
 * lines a read produced, where asyncore makes one per send); a large send (4 KiB or more) with nothing
 * queued before it is written at once. Sends made elsewhere on the loop thread (tasks, timers) are
 * written at once. Queued bytes live in chunks borrowed from the loop's pool: an idle channel holds none.
 */
public class BufferedDispatcher extends Dispatcher {

    private static final Logger logger = LoggerFactory.getLogger(BufferedDispatcher.class);

    /** A send of at least this many bytes, with nothing queued, is written at once even in a handler. */
    private static final int DIRECT_WRITE_MIN = 4096;

    private OutputQueue output;

    /** Set once {@link #shutdownOutput()} queued its end-of-stream: later sends are dropped. Loop thread. */
    private boolean outputEnding;

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
     * Queues the buffer's remaining bytes for the peer (consuming them); see the class description for
     * when they are written. Any thread.
     * <p>
     * A send is refused, cheaply and without an exception, when the channel is closed or closing, its
     * output was shut down, or the bytes would take its pending output over the hard
     * {@linkplain OutputLimit output limit} or past the loop's output memory (both close the channel).
     * @param data the bytes; copied unless written at once, so the caller may reuse the buffer when this
     *        returns
     * @return the number of bytes accepted: all of them, or 0 when the send was refused (the bytes are then
     *         consumed on the loop thread and left in place on other threads)
     * @throws IOException on socket errors other than disconnects (on the loop thread)
     */
    @Override
    public int send(ByteBuffer data) throws IOException {
        int length = data.remaining();
        if (!executor().inEventLoop()) {
            int socket = core().generation();
            if (!core().bounds().reserve(length)) {
                return 0;
            }
            ByteBuffer copy = ByteBuffer.allocate(length).put(data).flip();
            executor().execute(core().anySocketTask(() -> {
                core().bounds().arrived(length);
                if (core().generation() == socket) {
                    enqueue(copy);
                }
                else {
                    droppedForOldSocket(length);
                }
            }));
            return length;
        }
        return enqueue(data) ? length : 0;
    }

    /**
     * Queues the bytes for the peer, as {@link #send(ByteBuffer)}. Any thread.
     * @param data the bytes; copied unless written at once
     * @return the number of bytes accepted: all of them, or 0 when the send was refused (see
     *         {@link #send(ByteBuffer)})
     * @throws IOException on socket errors other than disconnects (on the loop thread)
     */
    @Override
    public int send(byte[] data) throws IOException {
        if (!executor().inEventLoop()) {
            int socket = core().generation();
            if (!core().bounds().reserve(data.length)) {
                return 0;
            }
            byte[] copy = data.clone();
            executor().execute(core().anySocketTask(() -> {
                core().bounds().arrived(copy.length);
                if (core().generation() == socket) {
                    enqueue(copy);
                }
                else {
                    droppedForOldSocket(copy.length);
                }
            }));
            return data.length;
        }
        return enqueue(data) ? data.length : 0;
    }

    /**
     * Queues bytes that a {@link ChannelGroup} shares between its members, routing a socket error to this
     * channel's error handling instead of the caller's. Loop thread.
     * @param data the bytes, never changed afterwards
     * @return whether they were accepted
     */
    final boolean offerShared(byte[] data) {
        try {
            return enqueue(data);
        }
        catch (Throwable ex) {
            core().errors().handleErrorEvent(FatalErrors.rethrowIfFatal(ex));
            return false;
        }
    }

    /**
     * Closes the channel once everything queued before this call has been written (asynchat's
     * {@code close_when_done}): {@link #handleClose()} is then called, and the channel closed if that did
     * not. Any thread.
     */
    public void closeWhenDone() {
        if (core().handedToLoop(this::closeWhenDone)) {
            return;
        }
        if (isClosed()) {
            return;
        }
        CloseReason cause = core().errors().closeCause();
        output().addClose((cause != null) ? cause : CloseReason.APPLICATION);
        core().errors().invoke(this::flushIfConnected);
    }

    /**
     * Half-closes once everything queued before this call has been written: the peer then reads
     * end-of-stream, and this channel goes on reading until the peer closes (by default it then closes
     * too) or it is closed. Bytes sent after this call are dropped. A client may call it while still
     * connecting. Any thread; see {@link Dispatcher#shutdownOutput()}.
     * @throws IllegalStateException (on the loop thread) when the channel is not a stream connection or
     *         client
     */
    @Override
    public void shutdownOutput() {
        if (core().handedToLoop(this::shutdownOutput)) {
            return;
        }
        if (isClosed() || this.outputEnding) {
            return;
        }
        core().checkCanShutdownOutput();
        this.outputEnding = true;
        output().addShutdownOutput();
        core().errors().invoke(this::flushIfConnected);
    }

    /** @return {@code true} while a connect is pending or output waits */
    @Override
    public boolean writable() {
        return isConnecting() || hasPendingOutput();
    }

    /** Writes queued output. */
    @Override
    public void handleWrite() throws IOException {
        flush();
    }

    /**
     * The peer closed its side: writes everything still queued for it, then calls {@link #handleClose()}
     * (and closes the channel if that did not), so that a request followed by a half-close gets its whole
     * answer. With nothing queued, calls {@link #handleClose()} at once. Override it to go on sending
     * (see {@link Dispatcher#handleEndOfStream()}).
     */
    @Override
    public void handleEndOfStream() throws IOException {
        if (hasPendingOutput()) {
            closeWhenDone();
        }
        else {
            handleClose();
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
        if (this.outputEnding) {
            logger.warn("{}: dropped a producer pushed after shutdownOutput()", this);
            return;
        }
        output().add(producer);
        flushIfConnected();
    }

    /** Drops queued output. Loop thread. */
    void discardOutput() {
        if (this.output != null) {
            this.output.clear();
        }
        this.outputEnding = isOutputShutdown(); // a half-close still queued is discarded too
        core().outputChanged(0);
    }

    /** Returns the queue's chunks to the loop; the pending figure stays as it was, for the closed snapshot. */
    @Override
    void releaseOutput() {
        if (this.output != null) {
            this.output.clear();
        }
    }

    /** A new socket: nothing queued (close already dropped the bytes; this drops producers and markers too). */
    @Override
    void reopened() {
        super.reopened();
        releaseOutput();
        this.outputEnding = false;
    }

    @Override
    boolean hasPendingOutput() {
        return this.output != null && !this.output.isEmpty();
    }

    /** Writes what the handler that just returned queued, in one go. */
    @Override
    void afterHandlers() throws IOException {
        if (hasPendingOutput() && core().isConnected() && !core().isClosed()) {
            flush();
        }
    }

    /**
     * Writes queued output until the socket stops taking it; closes at a close-when-done marker.
     * Loop thread.
     * @throws IOException on socket errors other than disconnects
     */
    protected final void flush() throws IOException {
        ChannelCore core = core();
        core.checkInEventLoop("flush");
        OutputQueue queue = output();
        while (!core.isClosed()) {
            ByteBuffer head = queue.head();
            if (head == null) {
                if (queue.atShutdownOutput() && !core.tls().hasPendingCiphertext()) { // TLS: after the last record
                    queue.removeMarker();
                    core.shutdownOutputNow();
                    continue;
                }
                break;
            }
            int written = core.bytes().write(head);
            if (core.isClosed()) {
                return;
            }
            queue.written(head, written);
            if (head.hasRemaining()) {
                break;
            }
        }
        if (!core.isClosed() && queue.atClose() && !core.tls().hasPendingCiphertext()) { // TLS: close once the socket took it all
            CloseReason reason = queue.closeReason();
            queue.clear();
            core.outputChanged(0);
            core.errors().withCloseCause(reason, () -> {
                handleClose();
                close();
            });
            return;
        }
        core.outputChanged(queue.pendingBytes());
    }

    /** @return whether the bytes were accepted (written or queued) */
    private boolean enqueue(ByteBuffer data) throws IOException {
        ChannelCore core = core();
        if (core.isClosed() || core.bounds().overflowed() || this.outputEnding || core.isOutputShutdown()) {
            droppedAfterEnd(data.remaining());
            data.position(data.limit());
            return false;
        }
        OutputQueue queue = output();
        if (queue.isEmpty() && core.isConnected() && (!core.inHandler() || data.remaining() >= DIRECT_WRITE_MIN)) {
            core.bytes().write(data);
            if (core.isClosed() || core.bounds().overflowed()) {
                data.position(data.limit());
                return false;
            }
        }
        if (data.hasRemaining() && !(withinLimits(queue, data.remaining()) && append(queue, null, data))) {
            data.position(data.limit());
            return false;
        }
        queued(queue);
        return true;
    }

    /** @return whether the bytes were accepted (written or queued) */
    private boolean enqueue(byte[] data) throws IOException {
        ChannelCore core = core();
        if (core.isClosed() || core.bounds().overflowed() || this.outputEnding || core.isOutputShutdown()) {
            droppedAfterEnd(data.length);
            return false;
        }
        OutputQueue queue = output();
        if (queue.isEmpty() && core.isConnected() && (!core.inHandler() || data.length >= DIRECT_WRITE_MIN)) {
            return enqueue(ByteBuffer.wrap(data)); // written at once: nothing to gain from avoiding the wrapper
        }
        if (!(withinLimits(queue, data.length) && append(queue, data, null))) {
            return false;
        }
        queued(queue);
        return true;
    }

    /**
     * Publishes what was just queued. For a handler's own sends only the figure: the water marks and the
     * soft limit are applied once the loop has written them after the handler returns
     * ({@link #afterHandlers()}); the hard limit was checked before each was queued.
     */
    private void queued(OutputQueue queue) {
        ChannelCore core = core();
        if (core.inHandler() && core.isConnected()) {
            core.bounds().publish(queue.pendingBytes());
        }
        else {
            core.outputChanged(queue.pendingBytes());
        }
    }

    /**
     * Queues the array or the buffer. When the loop has no output memory left, the channel that holds the
     * most of it is closed: usually this one (a peer that does not read keeps asking for more); if another
     * holds more, that one is closed, its memory comes back, and this send goes through.
     * @return whether the bytes were queued; if not, this channel is being closed for its output
     */
    private boolean append(OutputQueue queue, byte[] array, ByteBuffer buffer) {
        try {
            appendTo(queue, array, buffer);
            return true;
        }
        catch (OutputMemoryExhaustedException ex) {
            return makeRoomAndAppend(queue, array, buffer, ex);
        }
    }

    private static void appendTo(OutputQueue queue, byte[] array, ByteBuffer buffer) {
        if (array != null) {
            queue.append(array, 0, array.length);
        }
        else {
            queue.append(buffer);
        }
    }

    private boolean makeRoomAndAppend(OutputQueue queue, byte[] array, ByteBuffer buffer,
            OutputMemoryExhaustedException exhausted) {
        Dispatcher holder = map().largerOutputHolder(this);
        if (holder != null) {
            holder.core().bounds().exceeded(OutputOverflow.MEMORY, holder.pendingOutputBytes(),
                    "it holds the most output memory, which " + this + " needed: " + exhausted.getMessage());
            try {
                appendTo(queue, array, buffer);
                return true;
            }
            catch (OutputMemoryExhaustedException ex) {
                exhausted = ex;
            }
        }
        core().bounds().exceeded(OutputOverflow.MEMORY, pendingOutputBytes(), exhausted.getMessage());
        return false;
    }

    /** @return whether {@code more} bytes may be queued; if not, the channel is being closed for its output */
    private boolean withinLimits(OutputQueue queue, int more) {
        long hard = core().bounds().hardLimit();
        if (hard > 0) {
            long pending = queue.pendingBytes() + more + core().bounds().handedIn();
            if (pending > hard) {
                core().bounds().exceeded(OutputOverflow.HARD, pending, null);
                return false;
            }
        }
        return true;
    }

    private void droppedForOldSocket(int length) {
        logger.debug("{}: dropped {} bytes sent for the socket it had before it was closed", this, length);
    }

    private void droppedAfterEnd(int length) {
        if (isClosed() || core().bounds().overflowed()) {
            logger.debug("{}: dropped {} bytes sent after close", this, length);
        }
        else {
            logger.warn("{}: dropped {} bytes sent after the output was shut down", this, length);
        }
    }

    private void flushIfConnected() throws IOException {
        if (isConnected()) {
            flush();
        }
        else {
            core().outputChanged(output().pendingBytes());
        }
    }

    private OutputQueue output() {
        OutputQueue queue = this.output;
        if (queue == null) {
            queue = new OutputQueue(core().context().buffers());
            this.output = queue;
        }
        return queue;
    }

}
