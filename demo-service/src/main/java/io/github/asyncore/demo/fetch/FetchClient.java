package io.github.asyncore.demo.fetch;

import java.io.IOException;
import java.io.OutputStream;
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
 * for the whole exchange, and a {@link ResponseReader} that holds kilobytes whatever the server sends. It
 * completes a future with the response when the server closes, or with a {@link ResponseStatusException}
 * (502 or 504) saying what went wrong; every way a fetch can end completes it.
 * <p>
 * Created and run on its map's loop thread; the future may be read from any thread.
 */
final class FetchClient extends HttpClient {

    private final String url;

    private final String server;

    private final FetchProperties limits;

    private final ResponseReader reader;

    private final CompletableFuture<FetchResponse> result;

    private final ScheduledTask deadline;

    private FetchClient(FetchRequest request, FetchProperties limits, ChannelMap map,
            CompletableFuture<FetchResponse> result) throws IOException {
        super(request.server(), request.host(), request.path(), OutputStream.nullOutputStream(), map,
                ChannelSettings.DEFAULTS.withConnectTimeout(limits.connectTimeout())
                    .withReadIdleTimeout(limits.readTimeout()),
                request.tls());
        this.url = request.url();
        this.server = format(request.server());
        this.limits = limits;
        this.reader = new ResponseReader(this.server, (int) limits.bodyPreview().toBytes(),
                limits.maxResponseSize().toBytes());
        this.result = result;
        this.deadline = executor().schedule(limits.totalTimeout(), () -> fail(HttpStatus.GATEWAY_TIMEOUT,
                this.server + " did not complete its response within " + limits.totalTimeout().toMillis() + " ms"));
    }

    /**
     * Starts a fetch on the calling thread, which must be the map's loop thread.
     * @param request where to connect and what to ask
     * @param limits the timeouts and sizes
     * @param map the map whose loop runs the fetch
     * @param result completed with the response, or a {@link ResponseStatusException}
     */
    static void start(FetchRequest request, FetchProperties limits, ChannelMap map,
            CompletableFuture<FetchResponse> result) {
        try {
            new FetchClient(request, limits, map, result);
        }
        catch (IOException | RuntimeException ex) {
            result.completeExceptionally(new ResponseStatusException(HttpStatus.BAD_GATEWAY,
                    "could not connect to " + format(request.server()) + ": " + ex));
        }
    }

    @Override
    public void handleRead() throws IOException {
        try {
            this.reader.feed(recv());
        }
        catch (ResponseStatusException ex) {
            fail(ex);
        }
    }

    @Override
    public void handleClose() {
        super.handleClose();
        this.deadline.cancel();
        try {
            this.result.complete(this.reader.finish(this.url));
        }
        catch (ResponseStatusException ex) {
            this.result.completeExceptionally(ex);
        }
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
        fail(new ResponseStatusException(status, reason));
    }

    private void fail(ResponseStatusException failure) {
        close();
        this.deadline.cancel();
        this.result.completeExceptionally(failure);
    }

    /**
     * One fetch, decided on the request thread: the address checked by the destination policy (never
     * resolved again), and what goes into the request.
     *
     * @param url the URL, for the answer
     * @param server the address to connect to
     * @param host the {@code Host} header
     * @param path the request target, percent-encoded
     * @param tls TLS for {@code https://}, or {@code null}
     */
    record FetchRequest(String url, InetSocketAddress server, String host, String path, TlsSettings tls) {
    }

}
