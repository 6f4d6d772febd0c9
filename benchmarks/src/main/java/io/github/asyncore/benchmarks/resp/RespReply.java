package io.github.asyncore.benchmarks.resp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.github.asyncore.core.BufferedDispatcher;

/**
 * Writes replies in RESP2 into one buffer that the loop's connections share in turn: the replies to every
 * command of one read go to the connection in one {@link BufferedDispatcher#send(ByteBuffer)} (and so, once
 * the handler returns, in one write). Past {@link #CAPACITY} bytes the buffer is sent and reused, and a bulk
 * string longer than that goes out as it is after its header, so the buffer never grows. Loop thread only.
 */
final class RespReply {

    /** The bytes gathered before they are handed to the connection. */
    static final int CAPACITY = 64 * 1024;

    /** The longest error message, in bytes (one quoting a client's very long command name is cut). */
    static final int MAX_ERROR = 512;

    private static final byte[] CRLF = { '\r', '\n' };

    private final byte[] buffer = new byte[CAPACITY];

    private final ByteBuffer view = ByteBuffer.wrap(this.buffer);

    private int size;

    private BufferedDispatcher target;

    /**
     * Starts the replies for a connection.
     * @param target where {@link #send()} puts them
     */
    void begin(BufferedDispatcher target) {
        this.target = target;
        this.size = 0;
    }

    /**
     * Hands what was gathered to the connection, at most once per read.
     * @throws IOException from the send
     */
    void send() throws IOException {
        if (this.size > 0) {
            this.view.clear().limit(this.size);
            this.size = 0;
            this.target.send(this.view);
        }
    }

    /**
     * Appends bytes that are a whole reply already ({@code +OK\r\n}).
     * @param reply the bytes
     * @throws IOException from a send when the buffer fills
     */
    void raw(byte[] reply) throws IOException {
        room(reply.length);
        System.arraycopy(reply, 0, this.buffer, this.size, reply.length);
        this.size += reply.length;
    }

    /**
     * Appends a bulk string: {@code $3\r\nfoo\r\n}.
     * @param bytes where the string is
     * @param offset where it starts
     * @param length its length
     * @throws IOException from a send when the buffer fills
     */
    void bulk(byte[] bytes, int offset, int length) throws IOException {
        room(24);
        this.buffer[this.size++] = '$';
        digits(length);
        this.buffer[this.size++] = '\r';
        this.buffer[this.size++] = '\n';
        if (length + 2 > CAPACITY - this.size) {
            send();
            this.target.send(ByteBuffer.wrap(bytes, offset, length)); // copied or written: the caller keeps it
            raw(CRLF);
            return;
        }
        System.arraycopy(bytes, offset, this.buffer, this.size, length);
        this.size += length;
        this.buffer[this.size++] = '\r';
        this.buffer[this.size++] = '\n';
    }

    /**
     * Appends an integer: {@code :42\r\n}.
     * @param value the value
     * @throws IOException from a send when the buffer fills
     */
    void integer(long value) throws IOException {
        room(24);
        this.buffer[this.size++] = ':';
        digits(value);
        this.buffer[this.size++] = '\r';
        this.buffer[this.size++] = '\n';
    }

    /**
     * Appends an error: {@code -ERR message\r\n}, with any CR or LF in the message made a space and the
     * message cut at {@value #MAX_ERROR} bytes.
     * @param message the text after {@code -}
     * @throws IOException from a send when the buffer fills
     */
    void error(String message) throws IOException {
        byte[] text = message.getBytes(StandardCharsets.UTF_8);
        if (text.length > MAX_ERROR) {
            text = Arrays.copyOf(text, MAX_ERROR);
        }
        room(text.length + 3);
        this.buffer[this.size++] = '-';
        for (byte b : text) {
            this.buffer[this.size++] = (b == '\r' || b == '\n') ? (byte) ' ' : b;
        }
        this.buffer[this.size++] = '\r';
        this.buffer[this.size++] = '\n';
    }

    /** Writes the decimal digits of the value (at most 20 bytes); room was made. */
    private void digits(long value) {
        if (value == Long.MIN_VALUE) {
            byte[] text = Long.toString(value).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(text, 0, this.buffer, this.size, text.length);
            this.size += text.length;
            return;
        }
        long rest = value;
        if (rest < 0) {
            this.buffer[this.size++] = '-';
            rest = -rest;
        }
        int end = this.size + stringSize(rest);
        int at = end;
        do {
            this.buffer[--at] = (byte) ('0' + (rest % 10));
            rest /= 10;
        }
        while (rest != 0);
        this.size = end;
    }

    private static int stringSize(long value) {
        long p = 10;
        for (int i = 1; i < 19; i++) {
            if (value < p) {
                return i;
            }
            p = 10 * p;
        }
        return 19;
    }

    private void room(int length) throws IOException {
        if (length > CAPACITY - this.size) {
            send();
        }
    }

}
