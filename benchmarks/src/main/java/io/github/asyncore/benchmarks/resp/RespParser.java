package io.github.asyncore.benchmarks.resp;

import java.util.Arrays;

/**
 * Cuts one command out of the request bytes, as redis-server's {@code processMultibulkBuffer} and
 * {@code processInlineBuffer} do: a RESP array of bulk strings ({@code *2\r\n$3\r\nGET\r\n$1\r\nk\r\n}) or,
 * when the first byte is not {@code *}, an inline command (words separated by spaces or tabs up to
 * {@code \n}, a {@code \r} before it dropped; no quoting). The arguments are not copied: {@link #start(int)}
 * and {@link #length(int)} point into the bytes given, and lengths are parsed from the bytes in place.
 * <p>
 * A command that has not fully arrived is {@link #INCOMPLETE}: the caller keeps the bytes and parses it again
 * from its start when more arrive. Bounds, as redis-server's: a bulk string of more than 512 MB or an array
 * of more than 1M elements is a {@link #ERROR protocol error}. The caller bounds the bytes it keeps for an
 * incomplete command. Loop thread only: one parser serves every connection of the loop.
 */
final class RespParser {

    /** The longest bulk string, in bytes (redis-server's default {@code proto-max-bulk-len}). */
    static final long MAX_BULK_LENGTH = 512L * 1024 * 1024;

    /** The most elements of one array (redis-server's limit for a multibulk request). */
    static final int MAX_ARGUMENTS = 1024 * 1024;

    /** {@link #parse} found no complete command: wait for more bytes. */
    static final int INCOMPLETE = -1;

    /** {@link #parse} found a protocol error: {@link #error()} says which. */
    static final int ERROR = -2;

    private int[] starts = new int[16];

    private int[] lengths = new int[16];

    private int count;

    private long number;

    private String error;

    /**
     * Parses the command at {@code from}.
     * @param buffer the request bytes
     * @param from where the command starts
     * @param to where the bytes end
     * @return where the next command starts, {@link #INCOMPLETE} or {@link #ERROR}; a command of no
     *         arguments (an empty line, {@code *0}) is valid and has a {@link #count()} of 0
     */
    int parse(byte[] buffer, int from, int to) {
        this.count = 0;
        return (buffer[from] == '*') ? parseArray(buffer, from, to) : parseInline(buffer, from, to);
    }

    /** @return the number of arguments of the command last parsed, the command's name included */
    int count() {
        return this.count;
    }

    /**
     * @param index the argument, 0 for the command's name
     * @return where it starts in the bytes last parsed
     */
    int start(int index) {
        return this.starts[index];
    }

    /**
     * @param index the argument, 0 for the command's name
     * @return its length
     */
    int length(int index) {
        return this.lengths[index];
    }

    /** @return the protocol error last found, as redis-server words it (after {@code -ERR Protocol error: }) */
    String error() {
        return this.error;
    }

    private int parseArray(byte[] buffer, int from, int to) {
        int at = number(buffer, from + 1, to, MAX_ARGUMENTS, "invalid multibulk length");
        if (at < 0) {
            return at;
        }
        int elements = (int) this.number; // negative (a null array) or 0: a command of no arguments
        for (int i = 0; i < elements; i++) {
            if (at >= to) {
                return INCOMPLETE;
            }
            if (buffer[at] != '$') {
                return error("expected '$', got '" + printable(buffer[at]) + "'");
            }
            at = number(buffer, at + 1, to, MAX_BULK_LENGTH, "invalid bulk length");
            if (at < 0) {
                return at;
            }
            if (this.number < 0) {
                return error("invalid bulk length");
            }
            int length = (int) this.number;
            if (to - at < length + 2L) {
                return INCOMPLETE;
            }
            if (buffer[at + length] != '\r' || buffer[at + length + 1] != '\n') {
                return error("expected CRLF after a bulk string of " + length + " bytes");
            }
            add(at, length);
            at += length + 2;
        }
        return at;
    }

    /**
     * Parses a decimal number (an optional {@code -}, then digits) ended by {@code \r\n} into
     * {@link #number}.
     * @return where the bytes after {@code \r\n} start, {@link #INCOMPLETE} or {@link #ERROR}
     */
    private int number(byte[] buffer, int from, int to, long max, String invalid) {
        int at = from;
        boolean negative = at < to && buffer[at] == '-';
        if (negative) {
            at++;
        }
        long value = 0;
        int digits = 0;
        while (true) {
            if (at >= to) {
                return INCOMPLETE;
            }
            int b = buffer[at];
            if (b == '\r') {
                break;
            }
            if (b < '0' || b > '9') {
                return error(invalid);
            }
            value = value * 10 + (b - '0');
            if (value > max) {
                return error(invalid);
            }
            digits++;
            at++;
        }
        if (digits == 0) {
            return error(invalid);
        }
        if (at + 1 >= to) {
            return INCOMPLETE;
        }
        if (buffer[at + 1] != '\n') {
            return error(invalid);
        }
        this.number = negative ? -value : value;
        return at + 2;
    }

    private int parseInline(byte[] buffer, int from, int to) {
        int newline = -1;
        for (int i = from; i < to; i++) {
            if (buffer[i] == '\n') {
                newline = i;
                break;
            }
        }
        if (newline < 0) {
            return INCOMPLETE;
        }
        int end = (newline > from && buffer[newline - 1] == '\r') ? newline - 1 : newline;
        int at = from;
        while (at < end) {
            while (at < end && (buffer[at] == ' ' || buffer[at] == '\t')) {
                at++;
            }
            int start = at;
            while (at < end && buffer[at] != ' ' && buffer[at] != '\t') {
                at++;
            }
            if (at > start) {
                add(start, at - start);
            }
        }
        return newline + 1;
    }

    private void add(int start, int length) {
        if (this.count == this.starts.length) {
            this.starts = Arrays.copyOf(this.starts, this.count * 2);
            this.lengths = Arrays.copyOf(this.lengths, this.count * 2);
        }
        this.starts[this.count] = start;
        this.lengths[this.count] = length;
        this.count++;
    }

    private int error(String message) {
        this.error = message;
        return ERROR;
    }

    private static String printable(byte b) {
        return (b >= 0x20 && b < 0x7f) ? String.valueOf((char) b) : String.format("\\x%02x", b & 0xff);
    }

}
