package io.github.asyncore.core;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * How {@link AsyncChat} cuts its input into frames, as asynchat's {@code set_terminator} argument: a
 * byte string that ends each frame, a count of bytes, or none (collect everything). Immutable; safe on
 * any thread.
 */
public final class Terminator {

    /** What kind of terminator this is. */
    public enum Kind {

        /** No terminator: every byte is collected and {@code foundTerminator} is never called. */
        NONE,

        /** A byte string that ends each frame (it is not part of the collected data). */
        BYTES,

        /** A number of bytes that makes up the next frame. */
        COUNT

    }

    private static final Terminator NONE = new Terminator(Kind.NONE, null, 0);

    private final Kind kind;

    private final byte[] bytes;

    private final long count;

    private Terminator(Kind kind, byte[] bytes, long count) {
        this.kind = kind;
        this.bytes = bytes;
        this.count = count;
    }

    /** @return the terminator that collects everything (asynchat's {@code None}) */
    public static Terminator none() {
        return NONE;
    }

    /**
     * @param bytes the bytes that end a frame, at least one
     * @return a byte-string terminator
     */
    public static Terminator bytes(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length == 0) {
            throw new IllegalArgumentException("a terminator needs at least one byte; use none() to collect all");
        }
        return new Terminator(Kind.BYTES, bytes.clone(), 0);
    }

    /**
     * @param text the text that ends a frame, encoded as ISO-8859-1 (asynchat's default encoding)
     * @return a byte-string terminator
     */
    public static Terminator string(String text) {
        return bytes(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * @param count how many bytes make up the next frame, 0 or more; 0 collects everything, as asynchat
     *        treats a zero terminator
     * @return a count terminator
     * @throws IllegalArgumentException when the count is negative
     */
    public static Terminator count(long count) {
        if (count < 0) {
            throw new IllegalArgumentException("a terminator count must not be negative, was " + count);
        }
        return new Terminator(Kind.COUNT, null, count);
    }

    /** @return the kind */
    public Kind kind() {
        return this.kind;
    }

    /** @return a copy of the terminating bytes; empty unless the kind is {@link Kind#BYTES} */
    public byte[] bytes() {
        return (this.bytes != null) ? this.bytes.clone() : new byte[0];
    }

    /** @return the byte count; 0 unless the kind is {@link Kind#COUNT} */
    public long count() {
        return this.count;
    }

    byte[] bytesUnsafe() {
        return this.bytes;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Terminator that && this.kind == that.kind && this.count == that.count
                && Arrays.equals(this.bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(this.kind, this.count, Arrays.hashCode(this.bytes));
    }

    @Override
    public String toString() {
        return switch (this.kind) {
            case NONE -> "Terminator[none]";
            case COUNT -> "Terminator[" + this.count + " bytes]";
            case BYTES -> "Terminator[" + Arrays.toString(this.bytes) + "]";
        };
    }

}
