package io.github.asyncore.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

import io.github.asyncore.core.AsyncChat;
import io.github.asyncore.core.ChannelGroup;
import io.github.asyncore.core.ChannelMap;
import io.github.asyncore.core.Dispatcher;
import io.github.asyncore.core.EventLoopGroup;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelMatchers;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.util.concurrent.GlobalEventExecutor;

/**
 * The servers of the broadcast (fan-out) benchmark ({@code benchmarks/scripts/fanout-compare.sh}, driven by
 * {@link FanoutLoadGenerator}): every connection is a member of one room, and each complete line
 * ({@code \n}-terminated) that a member sends goes, with its {@code \n}, to every other member. One loop
 * (event-loop) thread for accepting and for I/O, bound to 127.0.0.1, {@code TCP_NODELAY} on every
 * connection (both frameworks' default).
 * <ul>
 * <li>{@code --impl group}: an {@link AsyncChat} per connection ({@code setTerminator("\n")}) that joins a
 * {@link ChannelGroup}; each line is sent with {@code group.broadcast(line, (m) -> m != this)}.</li>
 * <li>{@code --impl loop}: the same {@code AsyncChat}, but the members are kept by hand in an array on the
 * loop thread and each line is sent with {@code for (Session s : sessions) if (s != this) s.push(line)}:
 * the idiom before {@code ChannelGroup} existed.</li>
 * <li>{@code --impl netty}: Netty NIO, {@code LineBasedFrameDecoder(65536, false, true)} (the frame keeps
 * its {@code \n}), members in a {@link DefaultChannelGroup}, each frame sent with
 * {@code group.writeAndFlush(frame, ChannelMatchers.isNot(ctx.channel()))}.</li>
 * </ul>
 * Two more, as experiments outside the comparison: {@code --impl group-batch} broadcasts the lines of one
 * read together, {@code --impl netty-batch} writes each frame and flushes once per read burst; both give
 * each member one write per read of the sender instead of one per line.
 * <p>
 * Both asyncore servers copy each line once (with its {@code \n}) into an array that the session reuses,
 * since a broadcast and a push copy what they cannot write at once; Netty writes a retained duplicate of
 * the decoder's frame to every member (no copy).
 * <p>
 * {@code java -cp asyncore-benchmarks.jar -Dloader.main=io.github.asyncore.benchmarks.FanoutServers
 * org.springframework.boot.loader.launch.PropertiesLauncher PORT --impl group|loop|netty|group-batch|netty-batch}
 */
public final class FanoutServers {

    private FanoutServers() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String impl = null;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--impl" -> impl = (i + 1 < args.length) ? args[++i] : null;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (impl == null) {
            throw new IllegalArgumentException("usage: PORT --impl group|loop|netty|group-batch|netty-batch");
        }
        switch (impl) {
            case "group", "loop", "group-batch" -> asyncore(port, impl);
            case "netty", "netty-batch" -> netty(port, "netty-batch".equals(impl));
            default -> throw new IllegalArgumentException("unknown --impl " + impl
                    + " (group, loop, netty, group-batch, netty-batch)");
        }
    }

    // ---------------------------------------------------------------- asyncore

    private static void asyncore(int port, String impl) throws IOException {
        EventLoopGroup loops = new EventLoopGroup("fanout", 1);
        ChannelMap map = loops.acceptor();
        ChannelGroup<Session> group = new ChannelGroup<>("room");
        Room room = new Room();
        Dispatcher listener = new Dispatcher(map) {
            @Override
            public void handleAccepted(SocketChannel channel, SocketAddress address) throws IOException {
                switch (impl) {
                    case "group" -> group.add(new GroupSession(channel, group));
                    case "group-batch" -> group.add(new BatchSession(channel, group));
                    default -> room.join(new LoopSession(channel, room));
                }
            }
        };
        listener.createSocket();
        listener.setReuseAddr();
        listener.bind(new InetSocketAddress("127.0.0.1", port));
        listener.listen(4096);
        System.out.println("asyncore fan-out (" + switch (impl) {
            case "group" -> "ChannelGroup";
            case "group-batch" -> "ChannelGroup, one broadcast per read";
            default -> "hand-written loop";
        }
                + ", 1 loop thread) listening on 127.0.0.1:" + port);
        loops.start();
    }

    /** A line-framed member: collects a line, copies it with its {@code \n}, and hands it to {@link #say}. */
    abstract static class Session extends AsyncChat {

        /** The last line with its {@code \n}; reused while lines keep their length. */
        private byte[] line = new byte[0];

        Session(SocketChannel channel) throws IOException {
            super(channel);
            setTerminator("\n");
        }

        @Override
        public void foundTerminator() throws IOException {
            ByteBuffer data = takeDataBuffer(); // a view, valid until the next chunk: copied at once
            int length = data.remaining();
            if (this.line.length != length + 1) {
                this.line = new byte[length + 1];
                this.line[length] = '\n';
            }
            data.get(this.line, 0, length);
            say(this.line);
        }

        /** Sends the line (with its {@code \n}) to every other member; the array may be reused afterwards. */
        abstract void say(byte[] line) throws IOException;

    }

    /** {@code --impl group}: the members are a {@link ChannelGroup}. */
    static final class GroupSession extends Session {

        private final ChannelGroup<Session> group;

        GroupSession(SocketChannel channel, ChannelGroup<Session> group) throws IOException {
            super(channel);
            this.group = group;
        }

        @Override
        void say(byte[] line) {
            this.group.broadcast(line, (member) -> member != this);
        }

    }

    /**
     * {@code --impl group-batch} (not one of the three compared servers; an experiment): the lines of one
     * read are gathered and broadcast together once the read has been framed, so that each member gets one
     * write per read of the sender instead of one per line. The same bytes reach every member.
     */
    static final class BatchSession extends Session {

        private final ChannelGroup<Session> group;

        private byte[] batch = new byte[4096];

        private int batchLength;

        BatchSession(SocketChannel channel, ChannelGroup<Session> group) throws IOException {
            super(channel);
            this.group = group;
        }

        @Override
        void say(byte[] line) {
            if (this.batchLength + line.length > this.batch.length) {
                this.batch = Arrays.copyOf(this.batch, Math.max(this.batch.length * 2, this.batchLength + line.length));
            }
            System.arraycopy(line, 0, this.batch, this.batchLength, line.length);
            this.batchLength += line.length;
        }

        @Override
        public void handleRead() throws IOException {
            super.handleRead(); // one read, framed: say() for each complete line
            if (this.batchLength > 0) {
                byte[] lines = Arrays.copyOf(this.batch, this.batchLength);
                this.batchLength = 0;
                this.group.broadcast(lines, (member) -> member != this);
            }
        }

    }

    /** {@code --impl loop}: the members kept by hand, on the loop thread. */
    static final class Room {

        /** Copy on write, so that a member closing during a broadcast (output limits) is safe to iterate. */
        private LoopSession[] sessions = new LoopSession[0];

        void join(LoopSession session) {
            this.sessions = Arrays.copyOf(this.sessions, this.sessions.length + 1);
            this.sessions[this.sessions.length - 1] = session;
        }

        void leave(LoopSession session) {
            LoopSession[] current = this.sessions;
            for (int i = 0; i < current.length; i++) {
                if (current[i] == session) {
                    LoopSession[] fewer = new LoopSession[current.length - 1];
                    System.arraycopy(current, 0, fewer, 0, i);
                    System.arraycopy(current, i + 1, fewer, i, current.length - i - 1);
                    this.sessions = fewer;
                    return;
                }
            }
        }

    }

    /** {@code --impl loop}: {@code for (Session s : sessions) if (s != this) s.push(line)}. */
    static final class LoopSession extends Session {

        private final Room room;

        LoopSession(SocketChannel channel, Room room) throws IOException {
            super(channel);
            this.room = room;
        }

        @Override
        void say(byte[] line) throws IOException {
            for (LoopSession s : this.room.sessions) {
                if (s != this) {
                    s.push(line); // false when refused (closed, or past its output limits, which closes it)
                }
            }
        }

        @Override
        public void close() {
            if (executor().inEventLoop()) { // otherwise close() hands itself to the loop and comes back here
                this.room.leave(this);
            }
            super.close();
        }

    }

    // ---------------------------------------------------------------- Netty

    private static void netty(int port, boolean batch) throws InterruptedException {
        MultiThreadIoEventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        DefaultChannelGroup members = new DefaultChannelGroup("room", GlobalEventExecutor.INSTANCE);
        NettyBroadcast broadcast = batch ? new NettyBatchBroadcast(members) : new NettyBroadcast(members);
        try {
            ServerBootstrap bootstrap = new ServerBootstrap().group(loop)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<io.netty.channel.socket.SocketChannel>() {
                    @Override
                    protected void initChannel(io.netty.channel.socket.SocketChannel channel) {
                        channel.pipeline().addLast(new LineBasedFrameDecoder(65536, false, true), broadcast);
                    }
                });
            Channel channel = bootstrap.bind("127.0.0.1", port).sync().channel();
            System.out.println("netty fan-out (DefaultChannelGroup" + (batch ? ", write per frame, flush per read burst" : "")
                    + ", nio, 1 thread) listening on 127.0.0.1:" + port);
            channel.closeFuture().sync();
        }
        finally {
            loop.shutdownGracefully();
        }
    }

    /**
     * Joins every channel to the group when it becomes active (it leaves by itself when it closes) and
     * broadcasts each frame to the others. Reference counts: the decoder hands over a retained frame (a slice
     * of its cumulation buffer, newline included); {@code writeAndFlush} writes a retained duplicate to each
     * matched channel and then releases the frame once, so the handler passes its reference on and does not
     * release it itself.
     */
    @ChannelHandler.Sharable
    static class NettyBroadcast extends ChannelInboundHandlerAdapter {

        final DefaultChannelGroup members;

        NettyBroadcast(DefaultChannelGroup members) {
            this.members = members;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            this.members.add(ctx.channel());
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf frame = (ByteBuf) msg;
            this.members.writeAndFlush(frame, ChannelMatchers.isNot(ctx.channel()));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // peer reset, a line over 64 KiB
        }

    }

    /**
     * {@code --impl netty-batch} (an experiment, not one of the three compared servers): joins and closes as
     * {@link NettyBroadcast}, but batches Netty's own way, {@code group.write} for each frame and
     * {@code group.flush} once the read burst is over ({@code channelReadComplete}), so each member gets one
     * write per read burst of the sender.
     */
    @ChannelHandler.Sharable
    static final class NettyBatchBroadcast extends NettyBroadcast {

        NettyBatchBroadcast(DefaultChannelGroup members) {
            super(members);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            this.members.write(msg, ChannelMatchers.isNot(ctx.channel())); // releases msg once, as writeAndFlush
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            this.members.flush(ChannelMatchers.isNot(ctx.channel()));
        }

    }

}
