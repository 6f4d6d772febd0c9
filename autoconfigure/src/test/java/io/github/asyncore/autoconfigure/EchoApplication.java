package io.github.asyncore.autoconfigure;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;

import io.github.asyncore.autoconfigure.readme.EchoHandler;
import io.github.asyncore.core.Dispatcher;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The smallest application a user writes: one listener bean that echoes, configured entirely from
 * properties ({@code asyncore.dispatchers.echoServer.address}), with the README example's handler.
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
            new EchoHandler(channel); // the README example's handler
        }

    }

}
