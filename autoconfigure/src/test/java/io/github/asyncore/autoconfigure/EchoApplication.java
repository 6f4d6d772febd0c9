package io.github.asyncore.autoconfigure;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;

import io.github.asyncore.core.BufferedDispatcher;
import io.github.asyncore.core.Dispatcher;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The smallest application a user writes: one listener bean that echoes, configured entirely from
 * properties ({@code asyncore.dispatchers.echoServer.address}).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class EchoApplication {

    @Bean
    EchoServer echoServer() {
        return new EchoServer();
    }

    public static class EchoServer extends Dispatcher {

        @Override
        public void handleAccepted(SocketChannel channel, SocketAddress address) throws IOException {
            new EchoHandler(channel);
        }

    }

    public static class EchoHandler extends BufferedDispatcher {

        public EchoHandler(SocketChannel channel) throws IOException {
            super(channel);
        }

        @Override
        public void handleRead() throws IOException {
            byte[] data = recv(8192);
            if (data.length > 0) {
                send(data);
            }
        }

    }

}
