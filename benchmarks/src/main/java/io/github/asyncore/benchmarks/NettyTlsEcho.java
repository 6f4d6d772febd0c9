package io.github.asyncore.benchmarks;

import java.nio.file.Path;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

/**
 * The reference server of the TLS echo benchmark: Netty's {@code SslHandler} with the JDK provider
 * ({@link SslProvider#JDK}, the same {@code SSLEngine} implementation the asyncore TLS layer uses), NIO
 * transport, one event-loop thread for accept and I/O, bound to 127.0.0.1. The pipeline is the
 * {@code SslHandler} and the classic echo handler of the shared harness's {@code netty-echo}: write each
 * decrypted buffer as it is read, flush on {@code channelReadComplete}. Key and certificate come from the
 * same PKCS12 key store as the asyncore server's ({@code EchoServers --tls}).
 * <p>
 * {@code java -cp asyncore-benchmarks.jar -Dloader.main=io.github.asyncore.benchmarks.NettyTlsEcho
 * org.springframework.boot.loader.launch.PropertiesLauncher PORT --keystore PATH --storepass PASSWORD}
 * <p>
 * Netty's own default protocols and cipher suites apply (the load generator decides which one is used by
 * offering a single suite).
 */
public final class NettyTlsEcho {

    private NettyTlsEcho() {
    }

    /** Writes what it reads; flushes once per read burst. */
    @ChannelHandler.Sharable
    static final class EchoHandler extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // peer reset, handshake failure
        }

    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String keystore = null;
        String storepass = "";
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--keystore" -> keystore = args[++i];
                case "--storepass" -> storepass = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (keystore == null) {
            throw new IllegalArgumentException("needs --keystore PATH (PKCS12) and --storepass PASSWORD");
        }
        SslContext ssl = SslContextBuilder
            .forServer(TlsMaterial.keyManagers(Path.of(keystore), storepass.toCharArray()))
            .sslProvider(SslProvider.JDK)
            .build();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EchoHandler echo = new EchoHandler();
        try {
            ServerBootstrap bootstrap = new ServerBootstrap().group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(ssl.newHandler(channel.alloc()), echo);
                    }
                });
            Channel channel = bootstrap.bind("127.0.0.1", port).sync().channel();
            System.out.println("netty TLS echo (SslHandler, JDK provider, nio, 1 thread) listening on 127.0.0.1:"
                    + port);
            channel.closeFuture().sync();
        }
        finally {
            group.shutdownGracefully();
        }
    }

}
