package io.github.asyncore.demo.echo;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;

import io.github.asyncore.core.Dispatcher;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;

/**
 * TCP echo over TLS: the same code as {@link EchoServer}, made to speak TLS by configuration alone
 * ({@code asyncore.dispatchers.tlsEchoServer.ssl.bundle}; 7443 by default). Its {@link EchoHandler}s see
 * plaintext.
 * <p>
 * On unless {@code demo.tls-echo.enabled} is {@code false}: the jar's {@code application.yml} serves it
 * with the development certificate for a local try-out, and the Helm chart switches it off unless it is
 * given a certificate of the operator's (or told to serve the development one on purpose), so that no
 * deployment presents a key everybody has by accident.
 */
@Component
@ConditionalOnBooleanProperty(name = "demo.tls-echo.enabled", matchIfMissing = true)
public class TlsEchoServer extends Dispatcher {

    @Override
    public void handleAccepted(SocketChannel channel, SocketAddress address) throws IOException {
        new EchoHandler(channel);
    }

}
