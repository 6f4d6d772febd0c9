package io.github.asyncore.benchmarks.resp;

import java.util.Arrays;
import java.util.HashMap;

/**
 * The key space: a {@link HashMap} from binary-safe keys to values, owned by the one loop thread that
 * serves every connection (no locks). Keys are bytes, not {@code String}s, so that a lookup decodes and
 * allocates nothing: it goes through a reusable probe that points into the request's bytes, and only a
 * key that is stored for the first time is copied. Loop thread only.
 */
final class RespStore {

    private final HashMap<Key, byte[]> values = new HashMap<>();

    private final Key probe = new Key();

    /**
     * @param buffer the request bytes
     * @param offset where the key starts
     * @param length the key's length
     * @return the value, or {@code null} when the key is absent; the stored array itself, not to be changed
     */
    byte[] get(byte[] buffer, int offset, int length) {
        return this.values.get(this.probe.point(buffer, offset, length));
    }

    /**
     * Stores the value, replacing any other; copies the key only when it is new.
     * @param buffer the request bytes
     * @param offset where the key starts
     * @param length the key's length
     * @param value the value, kept as it is
     */
    void set(byte[] buffer, int offset, int length, byte[] value) {
        if (this.values.replace(this.probe.point(buffer, offset, length), value) == null) {
            this.values.put(Key.copyOf(buffer, offset, length), value);
        }
    }

    /**
     * @param buffer the request bytes
     * @param offset where the key starts
     * @param length the key's length
     * @return whether the key was there
     */
    boolean delete(byte[] buffer, int offset, int length) {
        return this.values.remove(this.probe.point(buffer, offset, length)) != null;
    }

    /** @return how many keys are stored */
    int size() {
        return this.values.size();
    }

    /**
     * A key: a range of bytes with its hash. Stored keys own their bytes (offset 0); the probe is pointed at
     * the request's bytes for one lookup and never stored.
     */
    private static final class Key {

        private byte[] bytes;

        private int offset;

        private int length;

        private int hash;

        static Key copyOf(byte[] buffer, int offset, int length) {
            Key key = new Key();
            key.bytes = Arrays.copyOfRange(buffer, offset, offset + length);
            key.length = length;
            key.hash = hash(key.bytes, 0, length);
            return key;
        }

        Key point(byte[] buffer, int offset, int length) {
            this.bytes = buffer;
            this.offset = offset;
            this.length = length;
            this.hash = hash(buffer, offset, length);
            return this;
        }

        private static int hash(byte[] buffer, int offset, int length) {
            int h = 1;
            for (int i = offset, end = offset + length; i < end; i++) {
                h = 31 * h + buffer[i];
            }
            return h;
        }

        @Override
        public int hashCode() {
            return this.hash;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.hash == this.hash && Arrays.equals(this.bytes, this.offset,
                    this.offset + this.length, key.bytes, key.offset, key.offset + key.length);
        }

    }

}
