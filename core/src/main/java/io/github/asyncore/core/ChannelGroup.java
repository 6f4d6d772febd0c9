package io.github.asyncore.core;

import java.nio.ByteBuffer;
import java.util.AbstractCollection;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A set of connections that hear the same things: the members of a chat room, the subscribers of a topic.
 * A member leaves by itself when it closes. {@link #broadcast(byte[])} sends bytes to every member from any
 * thread, copying them once for the whole group rather than once per member, and handing them to each
 * loop once for all the members it serves (Netty's {@code ChannelGroup} is the model).
 *
 * <pre>{@code
 * class Room {
 *     private final ChannelGroup<Member> members = new ChannelGroup<>("room");
 *
 *     void join(Member member) {         // Member extends AsyncChat
 *         this.members.add(member);       // leaves again when it closes
 *     }
 *
 *     void say(Member from, byte[] line) {
 *         this.members.broadcast(line, (member) -> member != from);
 *     }
 * }
 * }</pre>
 *
 * A broadcast is output that members did not ask for, so their water marks do not slow it down: a member
 * that reads nothing would queue everything. The group's {@link SlowMemberPolicy} says what happens to a
 * member above its high water mark ({@link Dispatcher#isWritable()} false): {@link SlowMemberPolicy#QUEUE}
 * (the default) queues for it anyway and leaves it to its {@linkplain OutputLimit output limits} to close
 * it if it falls too far behind; {@link SlowMemberPolicy#SKIP} drops the message for it (counted in
 * {@link #skipped()}), for feeds where the latest message matters more than every message.
 * <p>
 * Threads: every method may be called from any thread. A broadcast made on a member's loop thread queues
 * for that member at once; for members of other loops, the bytes count toward their pending output (and
 * limits) at once and are queued when their loop runs the hand-over, in the order each thread made its
 * broadcasts and sends. Iteration and {@link #size()} see the members at one moment, without locking the
 * group.
 *
 * @param <T> the kind of member
 */
public class ChannelGroup<T extends BufferedDispatcher> extends AbstractCollection<T> {

    /** What a broadcast does for a member whose pending output is above its high water mark. */
    public enum SlowMemberPolicy {

        /** Queue for it anyway; its output limits close it if it falls too far behind. */
        QUEUE,

        /** Drop the message for it, and count it in {@link ChannelGroup#skipped()}. */
        SKIP

    }

    private static final Partition[] NO_PARTITIONS = {};

    private static final BufferedDispatcher[] NO_MEMBERS = {};

    private final String name;

    private final SlowMemberPolicy policy;

    /** One partition per loop that serves members; replaced whole on every change (copy on write). */
    private volatile Partition[] partitions = NO_PARTITIONS;

    private final CloseHooks.CloseHook leave = this::remove;

    private final AtomicLong skipped = new AtomicLong();

    /**
     * Creates an empty group that queues for slow members ({@link SlowMemberPolicy#QUEUE}).
     * @param name names the group in logs and {@link #toString()}
     */
    public ChannelGroup(String name) {
        this(name, SlowMemberPolicy.QUEUE);
    }

    /**
     * Creates an empty group.
     * @param name names the group in logs and {@link #toString()}
     * @param policy what a broadcast does for a member above its high water mark
     */
    public ChannelGroup(String name, SlowMemberPolicy policy) {
        this.name = Objects.requireNonNull(name, "name");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /** @return the group's name */
    public String name() {
        return this.name;
    }

    /** @return what a broadcast does for a member above its high water mark */
    public SlowMemberPolicy policy() {
        return this.policy;
    }

    /**
     * Adds a member, which leaves the group by itself when it closes. Any thread.
     * @param member an open dispatcher with a socket
     * @return {@code true} if it joined; {@code false} if it was a member already, or is closed
     */
    @Override
    public boolean add(T member) {
        Objects.requireNonNull(member, "member");
        if (member.isClosed()) {
            return false;
        }
        EventExecutor executor = member.executor();
        synchronized (this) {
            Partition[] current = this.partitions;
            int index = indexOf(current, executor);
            if (index >= 0 && indexOf(current[index].members, member) >= 0) {
                return false;
            }
            Partition[] next = current.clone();
            if (index >= 0) {
                next[index] = current[index].with(member);
            }
            else {
                next = Arrays.copyOf(current, current.length + 1);
                next[current.length] = new Partition(executor, new BufferedDispatcher[] { member });
            }
            this.partitions = next;
        }
        member.handler().closeHooks().add(this.leave);
        if (member.isClosed()) { // it closed meanwhile, maybe before the hook was there to tell us
            remove(member);
            return false;
        }
        return true;
    }

    /**
     * Removes a member. Any thread.
     * @param member the member
     * @return whether it was a member
     */
    @Override
    public boolean remove(Object member) {
        if (!(member instanceof BufferedDispatcher dispatcher)) {
            return false;
        }
        synchronized (this) {
            Partition[] current = this.partitions;
            int index = indexOf(current, dispatcher.executor());
            if (index < 0) {
                return false;
            }
            Partition partition = current[index];
            int position = indexOf(partition.members, dispatcher);
            if (position < 0) {
                return false;
            }
            Partition[] next;
            if (partition.members.length == 1) {
                next = new Partition[current.length - 1];
                System.arraycopy(current, 0, next, 0, index);
                System.arraycopy(current, index + 1, next, index, current.length - index - 1);
            }
            else {
                next = current.clone();
                next[index] = partition.without(position);
            }
            this.partitions = next;
        }
        dispatcher.handler().closeHooks().remove(this.leave);
        return true;
    }

    @Override
    public boolean contains(Object member) {
        if (!(member instanceof BufferedDispatcher dispatcher)) {
            return false;
        }
        Partition[] current = this.partitions;
        int index = indexOf(current, dispatcher.executor());
        return index >= 0 && indexOf(current[index].members, dispatcher) >= 0;
    }

    /** @return how many members the group has now */
    @Override
    public int size() {
        int size = 0;
        for (Partition partition : this.partitions) {
            size += partition.members.length;
        }
        return size;
    }

    /** @return the members at this moment; later joins and leaves do not change what it returns */
    @Override
    @SuppressWarnings("unchecked")
    public Iterator<T> iterator() {
        Partition[] current = this.partitions;
        int size = 0;
        for (Partition partition : current) {
            size += partition.members.length;
        }
        BufferedDispatcher[] all = new BufferedDispatcher[size];
        int at = 0;
        for (Partition partition : current) {
            System.arraycopy(partition.members, 0, all, at, partition.members.length);
            at += partition.members.length;
        }
        return new Iterator<>() {

            private int next;

            @Override
            public boolean hasNext() {
                return this.next < all.length;
            }

            @Override
            public T next() {
                if (this.next >= all.length) {
                    throw new NoSuchElementException();
                }
                return (T) all[this.next++];
            }

            @Override
            public void remove() {
                if (this.next == 0) {
                    throw new IllegalStateException("next() was not called");
                }
                ChannelGroup.this.remove(all[this.next - 1]);
            }

        };
    }

    /** Removes every member (they stay open). Any thread. */
    @Override
    public void clear() {
        for (T member : this) {
            remove(member);
        }
    }

    /**
     * Sends the bytes to every member; see {@link #broadcast(byte[], Predicate)}.
     * @param data the bytes; the caller may reuse the array when this returns
     * @return to how many members the bytes were handed
     */
    public int broadcast(byte[] data) {
        return broadcast(data, null);
    }

    /**
     * Sends the buffer's remaining bytes to every member, consuming them; see
     * {@link #broadcast(byte[], Predicate)}.
     * @param data the bytes
     * @return to how many members the bytes were handed
     */
    public int broadcast(ByteBuffer data) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        return broadcastOwned(bytes, null);
    }

    /**
     * Sends the bytes to the members that the filter accepts (for example every member but the sender), as
     * each member's {@link BufferedDispatcher#send(byte[])} would, but copying them once for all. Any thread.
     * A member is left out when it is closed or closing, when the bytes would take it past its output limits
     * (which closes it), or, with {@link SlowMemberPolicy#SKIP}, when it is above its high water mark. A
     * socket error while writing to a member is that member's: it reaches its
     * {@link Dispatcher#handleError(Throwable)}, never the caller.
     * @param data the bytes; the caller may reuse the array when this returns
     * @param filter which members get them, asked on the calling thread; {@code null} for all
     * @return to how many members the bytes were handed (queued or written)
     */
    public int broadcast(byte[] data, Predicate<? super T> filter) {
        Objects.requireNonNull(data, "data");
        return deliver(data, filter, true);
    }

    private int broadcastOwned(byte[] data, Predicate<? super T> filter) {
        return deliver(data, filter, false);
    }

    /**
     * Closes every member ({@link Dispatcher#close()}), which leaves the group empty once their loops have
     * run the closes. Any thread.
     */
    public void close() {
        for (T member : this) {
            member.close();
        }
    }

    /** @return broadcasts a member missed because it was above its high water mark ({@link SlowMemberPolicy#SKIP}) */
    public long skipped() {
        return this.skipped.get();
    }

    @Override
    public String toString() {
        return "ChannelGroup[" + this.name + ", " + size() + " members]";
    }

    @SuppressWarnings("unchecked")
    private int deliver(byte[] data, Predicate<? super T> filter, boolean callerOwnsData) {
        byte[] shared = callerOwnsData ? null : data;
        int handed = 0;
        for (Partition partition : this.partitions) {
            BufferedDispatcher[] members = partition.members;
            if (partition.executor.inEventLoop()) {
                for (BufferedDispatcher member : members) {
                    if (chosen((T) member, filter) && member.offerShared(data)) {
                        handed++;
                    }
                }
                continue;
            }
            long[] reserved = null;
            for (int i = 0; i < members.length; i++) {
                BufferedDispatcher member = members[i];
                if (chosen((T) member, filter) && member.core().bounds().reserve(data.length)) {
                    if (reserved == null) {
                        reserved = new long[(members.length + 63) >>> 6];
                    }
                    reserved[i >>> 6] |= 1L << i;
                    handed++;
                }
            }
            if (reserved != null) {
                if (shared == null) {
                    shared = data.clone(); // once for every loop and member it goes to
                }
                partition.executor.execute(new Delivery(members, reserved, shared));
            }
        }
        return handed;
    }

    private boolean chosen(T member, Predicate<? super T> filter) {
        if (member.isClosed() || member.isClosing() || (filter != null && !filter.test(member))) {
            return false;
        }
        if (this.policy == SlowMemberPolicy.SKIP && !member.isWritable()) {
            this.skipped.incrementAndGet();
            return false;
        }
        return true;
    }

    private static int indexOf(Partition[] partitions, EventExecutor executor) {
        for (int i = 0; i < partitions.length; i++) {
            if (partitions[i].executor == executor) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(BufferedDispatcher[] members, Object member) {
        for (int i = 0; i < members.length; i++) {
            if (members[i] == member) {
                return i;
            }
        }
        return -1;
    }

    /** The members one loop serves. Immutable. */
    private record Partition(EventExecutor executor, BufferedDispatcher[] members) {

        Partition with(BufferedDispatcher member) {
            BufferedDispatcher[] more = Arrays.copyOf(this.members, this.members.length + 1);
            more[this.members.length] = member;
            return new Partition(this.executor, more);
        }

        Partition without(int position) {
            if (this.members.length == 1) {
                return new Partition(this.executor, NO_MEMBERS);
            }
            BufferedDispatcher[] fewer = new BufferedDispatcher[this.members.length - 1];
            System.arraycopy(this.members, 0, fewer, 0, position);
            System.arraycopy(this.members, position + 1, fewer, position, this.members.length - position - 1);
            return new Partition(this.executor, fewer);
        }

    }

    /** One broadcast's hand-over to one loop: the bytes, and the members they were counted for. */
    private record Delivery(BufferedDispatcher[] members, long[] reserved, byte[] data) implements ChannelsTask {

        @Override
        public void run() {
            for (int i = 0; i < this.members.length; i++) {
                if ((this.reserved[i >>> 6] & (1L << i)) != 0) {
                    BufferedDispatcher member = this.members[i];
                    member.core().bounds().arrived(this.data.length);
                    member.offerShared(this.data);
                }
            }
        }

        @Override
        public String toString() {
            return "broadcast of " + this.data.length + " bytes to " + this.members.length + " members";
        }

    }

}
