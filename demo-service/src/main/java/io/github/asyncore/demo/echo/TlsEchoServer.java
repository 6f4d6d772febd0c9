package io.github.asyncore.demo.echo;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;

import io.github.asyncore.core.Dispatcher;

import org.springframework.stereotype.Component;

/**
 * TCP echo over TLS: the same code as {@link EchoServer}, made to speak TLS by configuration alone
 * ({@code asyncore.dispatchers.tlsEchoServer.ssl.bundle}; 7443 by default). Its {@link EchoHandler}s see
 * plaintext.
 */
@Component
public class TlsEchoServer extends Dispatcher {

    @Override
    public void handleAccepted(SocketChannel channel, SocketAddress address) throws IOException {
        new EchoHandler(channel);
    }

}
