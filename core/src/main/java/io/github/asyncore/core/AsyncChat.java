package io.github.asyncore.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.util.Arrays;
import java.util.Objects;

import io.github.asyncore.core.internal.channel.ChannelCore;
import io.github.asyncore.core.internal.channel.TerminatorSearch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * asynchat's {@code async_chat}: input cut into frames by a {@link Terminator}, output queued with
 * {@link #push} and {@link #pushWithProducer}. Each chunk of a frame goes to
 * {@link #collectIncomingData(ByteBuffer)} (by default into a buffer that {@link #takeData()} empties),
 * and the end of each frame calls {@link #foundTerminator()}.
 *
 * <pre>{@code
 * class LineEcho extends AsyncChat {
 *     LineEcho(SocketChannel channel) throws IOException {
 *         super(channel);
 *         setTerminator("\n");
 *     }
 *
 *     public void foundTerminator() throws IOException {
 *         byte[] line = takeData();
 *         push(line);
 *         push(new byte[] { '\n' });
 *     }
 * }
 * }</pre>
 *
 * As in asynchat, a terminator changed inside {@code foundTerminator} applies to the bytes that follow,
 * a count terminator counts down as data arrives and then collects everything, and empty frames are not
 * passed to {@code collectIncomingData}. Unlike asynchat, input is bounded: a frame longer than
 * {@link ChannelSettings#maxFrameSize()} stops reading and calls
 * {@link #handleOversizedFrame(long)}, which by default logs the reason and closes the channel. With no
 * terminator, everything collected counts as one frame.
 * <p>
 * A closed chat that creates a socket again ({@link Dispatcher#createSocket(java.net.ProtocolFamily, SocketType)})
 * starts with no partial frame, unread input or queued output from the old socket. Its terminator stays as
 * last set; a count terminator counts afresh from the count last set with {@link #setTerminator(long)}, since
 * the new peer starts a new frame.
 * <p>
 * Threads: {@link #push}, {@link #pushWithProducer}, {@link #closeWhenDone()} and {@link #shutdownOutput()}
 * may be called from any thread (handed to the loop); the rest on the loop thread, as for
 * {@link Dispatcher}.
 */
public abstract class AsyncChat extends BufferedDispatcher {

    private static final Logger logger = LoggerFactory.getLogger(AsyncChat.class);

    private static final byte[] EMPTY = new byte[0];

    private static final int RETAINED_FRAME_CAPACITY = 4096;

    private Terminator.Kind terminatorKind = Terminator.Kind.NONE;

    private byte[] terminator = EMPTY;

    /** For a count terminator: the bytes still missing from the current frame. */
    private long remainingCount;

    /** For a count terminator: the count last set, which the first frame of a new socket waits for. */
    private long setCount;

    private byte[] carry = EMPTY;

    private int carryLength;

    private long frameLength;

    private byte[] frame = EMPTY;

    private int frameSize;

    private boolean inputStopped;

    private ByteBuffer frameView;

    private ByteBuffer chunkView;

    private ByteBuffer chunkViewOf;

    /** See {@link Dispatcher#Dispatcher()}. */
    protected AsyncChat() {
        super();
    }

    /**
     * See {@link Dispatcher#Dispatcher(ChannelMap)}.
     * @param map the map to join
     */
    protected AsyncChat(ChannelMap map) {
        super(map);
    }

    /**
     * See {@link Dispatcher#Dispatcher(SelectableChannel)}.
     * @param channel the channel to adopt
     * @throws IOException when the channel cannot be made non-blocking
     */
    protected AsyncChat(SelectableChannel channel) throws IOException {
        super(channel);
    }

    /**
     * See {@link Dispatcher#Dispatcher(SelectableChannel, ChannelMap)}.
     * @param channel the channel to adopt
     * @param map the map to join
     * @throws IOException when the channel cannot be made non-blocking
     */
    protected AsyncChat(SelectableChannel channel, ChannelMap map) throws IOException {
        super(channel, map);
    }

    // ---------------------------------------------------------------- framing

    /**
     * Sets how input is cut into frames; applies to the bytes not yet framed. Loop thread (or before the
     * loop runs), typically in the constructor or in {@link #foundTerminator()}.
     * @param terminator the new terminator
     */
    public void setTerminator(Terminator terminator) {
        Objects.requireNonNull(terminator, "terminator");
        this.terminatorKind = terminator.kind();
        this.terminator = (terminator.kind() == Terminator.Kind.BYTES) ? terminator.bytesUnsafe() : EMPTY;
        this.remainingCount = terminator.count();
        this.setCount = terminator.count();
    }

    /**
     * Ends frames with the given text, as {@link Terminator#string(String)}.
     * @param terminator the text, at least one character
     */
    public void setTerminator(String terminator) {
        setTerminator(Terminator.string(terminator));
    }

    /**
     * Ends frames with the given bytes, as {@link Terminator#bytes(byte[])}.
     * @param terminator the bytes, at least one
     */
    public void setTerminator(byte[] terminator) {
        setTerminator(Terminator.bytes(terminator));
    }

    /**
     * Makes the next {@code count} bytes one frame, as {@link Terminator#count(long)}.
     * @param count 0 or more
     * @throws IllegalArgumentException when the count is negative
     */
    public void setTerminator(long count) {
        setTerminator(Terminator.count(count));
    }

    /**
     * @return the terminator in force; for a count, the bytes still missing from the current frame
     */
    public Terminator getTerminator() {
        return switch (this.terminatorKind) {
            case NONE -> Terminator.none();
            case BYTES -> Terminator.bytes(this.terminator);
            case COUNT -> Terminator.count(this.remainingCount);
        };
    }

    /**
     * Receives a chunk of the current frame. The default appends it to a buffer that
     * {@link #takeData()} empties. The buffer is a view the channel reuses, only valid during the call:
     * copy what you keep.
     * @param data the chunk, never empty
     */
    public void collectIncomingData(ByteBuffer data) {
        int length = data.remaining();
        if (this.frameSize + length > this.frame.length) {
            this.frame = Arrays.copyOf(this.frame, Math.max(this.frameSize + length, Math.max(64, this.frame.length * 2)));
        }
        data.get(this.frame, this.frameSize, length);
        this.frameSize += length;
    }

    /**
     * Called at the end of each frame, after its last chunk went to {@link #collectIncomingData}.
     * @throws IOException from socket operations
     */
    public abstract void foundTerminator() throws IOException;

    /**
     * Called when a frame grows past {@link ChannelSettings#maxFrameSize()}. Reading has stopped for good:
     * the cut-off frame never reaches {@link #foundTerminator()}, and input already read is discarded
     * (input still in the kernel stays unread, so closing the channel may send the peer a reset rather
     * than an orderly end-of-stream). The default logs the reason, calls {@link #handleClose()} and
     * closes the channel; override it to answer first (for example {@code push} an error, then
     * {@link #closeWhenDone()}).
     * @param frameLength how long the frame had grown, in bytes, when it was cut off
     * @throws IOException from socket operations
     */
    public void handleOversizedFrame(long frameLength) throws IOException {
        logger.warn("{}: frame of at least {} bytes exceeds max-frame-size ({} bytes); closing", this, frameLength,
                getSettings().maxFrameSize());
        handleClose();
        close();
    }

    /**
     * Empties the buffer the default {@link #collectIncomingData} fills (asynchat's {@code _get_data}).
     * @return the collected bytes, possibly empty
     */
    protected byte[] takeData() {
        byte[] data = Arrays.copyOf(this.frame, this.frameSize);
        this.frameSize = 0;
        if (this.frame.length > RETAINED_FRAME_CAPACITY) {
            this.frame = EMPTY;
        }
        return data;
    }

    /**
     * Empties the buffer the default {@link #collectIncomingData} fills, as {@link #takeData()} does,
     * without copying: the bytes stay readable from the returned view until more data is collected, so
     * {@code push} them (which copies) or read them before {@link #foundTerminator()} returns.
     * @return a view of the collected bytes, from position to limit
     */
    protected ByteBuffer takeDataBuffer() {
        ByteBuffer view = this.frameView;
        if (view == null || view.array() != this.frame) {
            view = ByteBuffer.wrap(this.frame);
            this.frameView = view;
        }
        view.clear().limit(this.frameSize);
        this.frameSize = 0;
        return view;
    }

    // ---------------------------------------------------------------- output

    /**
     * Queues bytes for the peer, as asynchat's {@code push}; see {@link #send(ByteBuffer)}. Any thread.
     * @param data the bytes, copied when they cannot be written at once
     * @return whether they were accepted; {@code false} when the channel is closed or closing, its output
     *         was shut down, or they would take it past its output limits (which closes it)
     * @throws IOException on socket errors other than disconnects (on the loop thread)
     */
    public boolean push(byte[] data) throws IOException {
        return send(data) == data.length;
    }

    /**
     * Queues the buffer's remaining bytes for the peer; see {@link #send(ByteBuffer)}. Any thread.
     * @param data the bytes, consumed; copied when they cannot be written at once
     * @return whether they were accepted, as {@link #push(byte[])}
     * @throws IOException on socket errors other than disconnects (on the loop thread)
     */
    public boolean push(ByteBuffer data) throws IOException {
        int length = data.remaining();
        return send(data) == length;
    }

    /**
     * Queues a producer after what is already queued, as asynchat's {@code push_with_producer}. Any
     * thread; the producer itself is called on the loop thread.
     * @param producer makes the bytes on demand
     */
    public void pushWithProducer(Producer producer) {
        Objects.requireNonNull(producer, "producer");
        if (!executor().inEventLoop()) {
            executor().execute(core().channelTask(() -> enqueue(producer)));
            return;
        }
        core().errors().invoke(() -> enqueue(producer));
    }

    /**
     * Drops unread input, the partial frame and queued output, as asynchat's {@code discard_buffers}.
     * Loop thread.
     */
    public void discardBuffers() {
        core().checkInEventLoop("discardBuffers");
        this.carryLength = 0;
        this.frameSize = 0;
        this.frameLength = 0;
        this.frame = EMPTY;
        discardOutput();
    }

    /** A new socket: no partial frame, unread input or stopped input; a count starts again (see the class). */
    @Override
    void reopened() {
        super.reopened();
        this.carryLength = 0;
        this.frameSize = 0;
        this.frameLength = 0;
        this.frame = EMPTY;
        this.inputStopped = false;
        this.chunkView = null;
        this.chunkViewOf = null;
        this.remainingCount = this.setCount;
    }

    // ---------------------------------------------------------------- the read path

    /** Reads what the socket has and cuts it into frames; see the class description. */
    @Override
    public void handleRead() throws IOException {
        if (this.inputStopped) {
            return;
        }
        int size = getSettings().receiveBufferSize();
        ByteBuffer buffer = core().context().buffers().readBuffer(this.carryLength + size);
        buffer.put(this.carry, 0, this.carryLength);
        this.carryLength = 0;
        buffer.limit(buffer.position() + size);
        if (recv(buffer) < 0) {
            return;
        }
        buffer.flip();
        frame(buffer);
    }

    private void frame(ByteBuffer input) throws IOException {
        ChannelCore core = core();
        while (input.hasRemaining() && !core.isClosed() && !this.inputStopped) {
            switch (this.terminatorKind) {
                case NONE -> collect(input, input.remaining());
                case COUNT -> frameByCount(input);
                case BYTES -> frameByBytes(input);
            }
        }
    }

    private void frameByCount(ByteBuffer input) throws IOException {
        long missing = this.remainingCount;
        int available = input.remaining();
        if (missing == 0) {
            collect(input, available);
        }
        else if (available < missing) {
            collect(input, available);
            this.remainingCount = missing - available;
        }
        else {
            collect(input, (int) missing);
            this.remainingCount = 0;
            if (this.inputStopped || isClosed()) {
                return; // the frame was cut off as oversized: it never reaches foundTerminator
            }
            endOfFrame();
        }
    }

    private void frameByBytes(ByteBuffer input) throws IOException {
        byte[] term = this.terminator;
        int index = TerminatorSearch.indexOf(input, term);
        if (index >= 0) {
            int length = index - input.position();
            if (length > 0) {
                collect(input, length);
                if (this.inputStopped || isClosed()) {
                    return;
                }
            }
            input.position(index + term.length);
            endOfFrame();
            return;
        }
        int prefix = TerminatorSearch.prefixAtEnd(input, term);
        int length = input.remaining() - prefix;
        if (length > 0) {
            collect(input, length);
        }
        if (prefix > 0 && !this.inputStopped) {
            if (this.carry.length < term.length) {
                this.carry = new byte[term.length];
            }
            input.get(this.carry, 0, prefix);
            this.carryLength = prefix;
        }
    }

    private void collect(ByteBuffer input, int length) throws IOException {
        if (this.frameLength + length > getSettings().maxFrameSize()) {
            long size = this.frameLength + length;
            this.inputStopped = true;
            core().suspendReading();
            input.position(input.limit());
            core().errors().withCloseCause(CloseReason.ERROR, () -> handleOversizedFrame(size));
            return;
        }
        this.frameLength += length;
        int start = input.position();
        input.position(start + length);
        collectIncomingData(chunkView(input, start, length));
    }

    /** @return the chunk as a view this channel reuses, so that framing allocates nothing per chunk */
    private ByteBuffer chunkView(ByteBuffer input, int start, int length) {
        ByteBuffer view = this.chunkView;
        if (view == null || this.chunkViewOf != input) {
            view = input.duplicate();
            this.chunkView = view;
            this.chunkViewOf = input;
        }
        view.clear().position(start).limit(start + length);
        return view;
    }

    private void endOfFrame() throws IOException {
        this.frameLength = 0;
        foundTerminator();
    }

}
