package io.github.asyncore.core.internal.tls;

import java.io.IOException;
import java.nio.ByteBuffer;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * Not API. The three buffers of one TLS connection and the engine calls that move bytes between them: the
 * ciphertext read from the socket, the ciphertext wrapped for it, and the plaintext unwrapped for the
 * handlers. Each starts at about one TLS record and grows to hold a whole record when the engine asks.
 * Whoever drives the engine owns it: the loop thread, or the handshake executor while the layer has
 * handed it the handshake's work.
 */
final class TlsBuffers {

    private final TlsTransport transport;

    private final SSLEngine engine;

    /** Ciphertext read from the socket and not yet unwrapped; write mode (bytes from 0 to position). */
    private ByteBuffer netIn;

    /** Ciphertext wrapped and not yet written; read mode (bytes from position to limit). */
    private ByteBuffer netOut;

    /** Plaintext unwrapped and not yet handed to a handler; read mode. */
    private ByteBuffer appIn;

    TlsBuffers(TlsTransport transport, SSLEngine engine) {
        this.transport = transport;
        this.engine = engine;
        SSLSession session = engine.getSession();
        this.netIn = ByteBuffer.allocate(session.getPacketBufferSize());
        this.netOut = ByteBuffer.allocate(session.getPacketBufferSize()).limit(0);
        this.appIn = ByteBuffer.allocate(session.getApplicationBufferSize()).limit(0);
    }

    /** @return whether ciphertext read from the socket waits to be unwrapped */
    boolean hasInput() {
        return this.netIn.position() > 0;
    }

    /** @return whether wrapped ciphertext waits for the socket */
    boolean hasOutput() {
        return this.netOut.hasRemaining();
    }

    /** @return whether unwrapped plaintext waits for a handler */
    boolean hasPlaintext() {
        return this.appIn.hasRemaining();
    }

    /**
     * Reads ciphertext off the socket, first making room for a whole record when the buffer is full.
     * @return bytes read, 0 when none were waiting, -1 at end-of-stream
     */
    int readSocket() throws IOException {
        if (!this.netIn.hasRemaining()) {
            ByteBuffer larger = ByteBuffer.allocate(this.netIn.position() + packetSize());
            this.netIn.flip();
            larger.put(this.netIn);
            this.netIn = larger;
        }
        return this.transport.readSocket(this.netIn);
    }

    /** @return whether everything wrapped has been written */
    boolean flush() throws IOException {
        ByteBuffer out = this.netOut;
        while (out.hasRemaining()) {
            if (this.transport.writeSocket(out) == 0) {
                return false;
            }
        }
        return true;
    }

    /** Wraps what the engine takes from the source behind the waiting ciphertext, growing the buffer as needed. */
    SSLEngineResult wrap(ByteBuffer source) throws SSLException {
        while (true) {
            ByteBuffer out = this.netOut.compact();
            SSLEngineResult result;
            try {
                result = this.engine.wrap(source, out);
            }
            finally {
                out.flip();
            }
            if (result.getStatus() != Status.BUFFER_OVERFLOW) {
                return result;
            }
            this.netOut = grow(out, packetSize());
        }
    }

    /** Unwraps waiting ciphertext straight into the handler's buffer. */
    SSLEngineResult unwrap(ByteBuffer dst) throws SSLException {
        ByteBuffer in = this.netIn.flip();
        try {
            return this.engine.unwrap(in, dst);
        }
        finally {
            in.compact();
        }
    }

    /** Unwraps waiting ciphertext into the layer's plaintext buffer. */
    SSLEngineResult unwrapToPlaintext() throws SSLException {
        ByteBuffer plain = this.appIn.compact();
        try {
            return unwrap(plain);
        }
        finally {
            plain.flip();
        }
    }

    /** Makes room for one more record of plaintext, after the engine reported an overflow. */
    void growPlaintext() {
        this.appIn = grow(this.appIn, this.engine.getSession().getApplicationBufferSize());
    }

    /** Moves as much waiting plaintext into the handler's buffer as fits. */
    void drainPlaintext(ByteBuffer dst) {
        ByteBuffer plain = this.appIn;
        if (!plain.hasRemaining()) {
            return;
        }
        int count = Math.min(plain.remaining(), dst.remaining());
        dst.put(dst.position(), plain, plain.position(), count);
        dst.position(dst.position() + count);
        plain.position(plain.position() + count);
    }

    /**
     * Feeds the handshake the ciphertext already read, without touching the socket.
     * @return 1 when the engine took a record, 0 when it needs more ciphertext than is here, -1 when it
     *         saw the peer's close
     */
    int unwrapBuffered() throws SSLException {
        while (hasInput()) {
            SSLEngineResult result = unwrapToPlaintext();
            switch (result.getStatus()) {
                case OK:
                    boolean progress = result.bytesConsumed() > 0 || result.bytesProduced() > 0
                            || this.engine.getHandshakeStatus() != HandshakeStatus.NEED_UNWRAP;
                    return progress ? 1 : 0;
                case CLOSED:
                    return -1;
                case BUFFER_OVERFLOW:
                    growPlaintext();
                    continue;
                default:
                    return 0; // BUFFER_UNDERFLOW: a record is incomplete
            }
        }
        return 0;
    }

    /** Runs the engine's delegated tasks on the calling thread. */
    void runDelegatedTasks() {
        Runnable task;
        while ((task = this.engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    private int packetSize() {
        return this.engine.getSession().getPacketBufferSize();
    }

    /** @return a buffer in read mode with the same bytes and at least {@code room} more capacity */
    private static ByteBuffer grow(ByteBuffer readMode, int room) {
        ByteBuffer larger = ByteBuffer.allocate(readMode.remaining() + room);
        larger.put(readMode);
        return larger.flip();
    }

}
