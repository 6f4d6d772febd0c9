package io.github.asyncore.demo.fetch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletableFuture;

import io.github.asyncore.core.ChannelMap;
import io.github.asyncore.core.ChannelSettings;
import io.github.asyncore.core.IdleState;
import io.github.asyncore.core.ScheduledTask;
import io.github.asyncore.core.TlsSettings;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * The seed's client with the limits a web endpoint needs: a connect timeout, a read timeout, a deadline
 * for the whole exchange and a maximum response size. It completes a future with the raw response when
 * the server closes, or with a {@link ResponseStatusException} (502 or 504) saying what went wrong.
 * <p>
 * Created and run on its map's loop thread; the future may be read from any thread.
 */
final class FetchClient extends HttpClient {

    private final String server;

    private final FetchProperties limits;

    private final ByteArrayOutputStream response;

    private final CompletableFuture<byte[]> result;

    private final ScheduledTask deadline;

    private FetchClient(InetSocketAddress server, String path, TlsSettings tls, FetchProperties limits, ChannelMap map,
            ByteArrayOutputStream response, CompletableFuture<byte[]> result) throws IOException {
        super(server, path, response, map, ChannelSettings.DEFAULTS.withConnectTimeout(limits.connectTimeout())
            .withReadIdleTimeout(limits.readTimeout()), tls);
        this.server = format(server);
        this.limits = limits;
        this.response = response;
        this.result = result;
        this.deadline = executor().schedule(limits.totalTimeout(), () -> fail(HttpStatus.GATEWAY_TIMEOUT,
                this.server + " did not complete its response within " + limits.totalTimeout().toMillis() + " ms"));
    }

    /**
     * Starts a fetch on the calling thread, which must be the map's loop thread.
     * @param tls TLS for an {@code https://} URL, or {@code null}
     */
    static void start(InetSocketAddress server, String path, TlsSettings tls, FetchProperties limits, ChannelMap map,
            CompletableFuture<byte[]> result) {
        try {
            new FetchClient(server, path, tls, limits, map, new ByteArrayOutputStream(), result);
        }
        catch (IOException ex) {
            result.completeExceptionally(new ResponseStatusException(HttpStatus.BAD_GATEWAY,
                    "could not connect to " + format(server) + ": " + ex.getMessage()));
        }
    }

    @Override
    public void handleRead() throws IOException {
        super.handleRead();
        if (this.response.size() > this.limits.maxResponseSize().toBytes()) {
            fail(HttpStatus.BAD_GATEWAY, this.server + " sent more than " + this.limits.maxResponseSize().toBytes()
                    + " bytes; the response was cut off");
        }
    }

    @Override
    public void handleClose() {
        super.handleClose();
        this.deadline.cancel();
        this.result.complete(this.response.toByteArray());
    }

    @Override
    public void handleError(Throwable error) {
        if (error instanceof SocketTimeoutException) {
            fail(HttpStatus.GATEWAY_TIMEOUT, "no connection to " + this.server + " within "
                    + this.limits.connectTimeout().toMillis() + " ms");
        }
        else if (error instanceof javax.net.ssl.SSLException) {
            fail(HttpStatus.BAD_GATEWAY, "TLS with " + this.server + " failed: " + error.getMessage());
        }
        else if (error instanceof ConnectException) {
            fail(HttpStatus.BAD_GATEWAY, "could not connect to " + this.server + ": " + error.getMessage());
        }
        else {
            fail(HttpStatus.BAD_GATEWAY, "talking to " + this.server + " failed: " + error);
        }
    }

    @Override
    public void handleIdle(IdleState state) {
        fail(HttpStatus.GATEWAY_TIMEOUT, this.server + " sent nothing for " + this.limits.readTimeout().toMillis()
                + " ms");
    }

    private void fail(HttpStatus status, String reason) {
        close();
        this.deadline.cancel();
        this.result.completeExceptionally(new ResponseStatusException(status, reason));
    }

}
