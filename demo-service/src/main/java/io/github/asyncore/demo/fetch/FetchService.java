package io.github.asyncore.demo.fetch;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;

import io.github.asyncore.core.ChannelMap;
import io.github.asyncore.core.EventLoopGroup;
import io.github.asyncore.core.TlsSettings;
import io.github.asyncore.demo.fetch.FetchClient.FetchRequest;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.web.server.ResponseStatusException;

/**
 * Runs the seed's HTTP client on asyncore's event loop for a web request, within bounds: the URL is checked,
 * the host resolved once (a name lookup blocks, so on threads of its own, within the connect timeout), every
 * address it resolved to judged by the {@link DestinationPolicy}, and the client connects to the address that
 * was judged, never resolving again. At most {@code demo.fetch.max-concurrent} fetches run at once.
 * {@code https://} URLs speak TLS, checking the server's certificate against {@code demo.fetch.trust-bundle}
 * (or the JDK's certificate authorities) and the URL's host. Any thread.
 */
@Service
public class FetchService implements DisposableBean {

    private final EventLoopGroup loops;

    private final FetchProperties properties;

    private final DestinationPolicy policy;

    private final Semaphore permits;

    private final ExecutorService resolverThreads;

    private final HostResolver resolver;

    /** The trust for {@code https://}; replaced when the bundle is reloaded. */
    private volatile SSLContext tlsContext;

    @Autowired
    public FetchService(EventLoopGroup loops, FetchProperties properties, SslBundles sslBundles)
            throws NoSuchAlgorithmException {
        this(loops, properties, sslBundles, InetAddress::getAllByName);
    }

    FetchService(EventLoopGroup loops, FetchProperties properties, SslBundles sslBundles, HostResolver resolver)
            throws NoSuchAlgorithmException {
        this.loops = loops;
        this.resolver = resolver;
        this.properties = properties;
        this.policy = new DestinationPolicy(
                properties.allowedNetworks().stream().map((network) -> IpRange.parse("allowed", network)).toList(),
                new HashSet<>(properties.allowedPorts()));
        this.permits = new Semaphore(properties.maxConcurrent());
        AtomicInteger threads = new AtomicInteger();
        this.resolverThreads = new ThreadPoolExecutor(properties.maxConcurrent(), properties.maxConcurrent(), 30,
                TimeUnit.SECONDS, new LinkedBlockingQueue<>(), (task) -> {
                    Thread thread = new Thread(task, "fetch-resolver-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        ((ThreadPoolExecutor) this.resolverThreads).allowCoreThreadTimeOut(true);
        String bundle = properties.trustBundle();
        if (bundle != null && !bundle.isBlank()) {
            this.tlsContext = sslBundles.getBundle(bundle).createSslContext();
            sslBundles.addBundleUpdateHandler(bundle,
                    (SslBundle updated) -> this.tlsContext = updated.createSslContext());
        }
        else {
            this.tlsContext = SSLContext.getDefault();
        }
    }

    /**
     * @param url an {@code http://} or {@code https://} URL
     * @return the response, or a {@link ResponseStatusException}: 403 for a destination the policy denies,
     *         502 when the server cannot be reached or answers badly, 504 when resolving, connecting or the
     *         server is too slow
     * @throws ResponseStatusException at once: 400 for a URL we do not fetch, 403 for a denied address
     *         literal or port, 503 when {@code max-concurrent} fetches are in flight
     */
    public CompletableFuture<FetchResponse> fetch(String url) {
        URI uri = check(url);
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        int defaultPort = https ? 443 : 80;
        int port = (uri.getPort() != -1) ? uri.getPort() : defaultPort;
        Optional<InetAddress> literal = literal(uri.getHost());
        if (literal.isPresent()) {
            refuseIfDenied(literal.get(), port); // before anything is spent on it
        }
        if (!this.permits.tryAcquire()) {
            throw new FetchBusyException(this.properties.maxConcurrent());
        }
        try {
            CompletableFuture<InetAddress> address = literal.isPresent() ? CompletableFuture.completedFuture(literal.get())
                    : resolve(uri.getHost(), port);
            TlsSettings tls = https ? TlsSettings.client(this.tlsContext).withPeerHost(withoutBrackets(uri.getHost()))
                    : null;
            String host = HttpClient.hostHeader(uri.getHost(), port, defaultPort);
            String path = requestTarget(uri);
            CompletableFuture<FetchResponse> response = address.thenCompose((checked) -> start(
                    new FetchRequest(url, new InetSocketAddress(checked, port), host, path, tls)));
            response.whenComplete((answer, failure) -> this.permits.release());
            return response;
        }
        catch (RuntimeException ex) {
            this.permits.release();
            throw ex;
        }
    }

    @Override
    public void destroy() {
        this.resolverThreads.shutdownNow();
    }

    private CompletableFuture<FetchResponse> start(FetchRequest request) {
        CompletableFuture<FetchResponse> response = new CompletableFuture<>();
        ChannelMap map = this.loops.next();
        map.eventLoop().execute(() -> FetchClient.start(request, this.properties, map, response));
        return response;
    }

    /** Resolves the name once, off the request thread and within the connect timeout, and judges every address. */
    private CompletableFuture<InetAddress> resolve(String host, int port) {
        long timeout = this.properties.connectTimeout().toMillis();
        return CompletableFuture.supplyAsync(() -> lookUp(host), this.resolverThreads)
            .orTimeout(timeout, TimeUnit.MILLISECONDS)
            .handle((addresses, failure) -> {
                Throwable cause = (failure instanceof CompletionException) ? failure.getCause() : failure;
                if (cause instanceof TimeoutException) {
                    throw new ResponseStatusException(HttpStatus.GATEWAY_TIMEOUT,
                            "resolving '" + host + "' took longer than " + timeout + " ms");
                }
                if (cause instanceof ResponseStatusException status) {
                    throw status;
                }
                if (cause != null) {
                    throw new ResponseStatusException(HttpStatus.BAD_GATEWAY, "resolving '" + host + "' failed: " + cause);
                }
                for (InetAddress address : addresses) {
                    refuseIfDenied(address, port); // every address, so that a name cannot mix in an internal one
                }
                return addresses.get(0);
            });
    }

    private List<InetAddress> lookUp(String host) {
        try {
            return List.of(this.resolver.resolve(host));
        }
        catch (UnknownHostException ex) {
            throw new ResponseStatusException(HttpStatus.BAD_GATEWAY, "unknown host '" + host + "'");
        }
    }

    private void refuseIfDenied(InetAddress address, int port) {
        String refusal = this.policy.refusal(address, port);
        if (refusal != null) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, refusal);
        }
    }

    private static Optional<InetAddress> literal(String host) {
        try {
            return HostLiterals.parse(host);
        }
        catch (IllegalArgumentException ex) {
            throw badRequest(ex.getMessage());
        }
    }

    /** @return the path and query, percent-encoded where the URL had characters outside ASCII */
    private static String requestTarget(URI uri) {
        URI ascii = URI.create(uri.toASCIIString());
        String path = (ascii.getRawPath() == null || ascii.getRawPath().isEmpty()) ? "/" : ascii.getRawPath();
        return (ascii.getRawQuery() != null) ? path + "?" + ascii.getRawQuery() : path;
    }

    private URI check(String url) {
        if (url == null || url.isBlank()) {
            throw badRequest("the parameter 'url' is missing: try /fetch?url=http://host:port/path");
        }
        if (url.length() > this.properties.maxUrlLength()) {
            throw badRequest("the URL is " + url.length() + " characters long; at most "
                    + this.properties.maxUrlLength() + " are accepted");
        }
        URI uri;
        try {
            uri = new URI(url);
        }
        catch (URISyntaxException ex) {
            throw badRequest("malformed URL: " + ex.getMessage());
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
            throw badRequest("only http:// and https:// URLs can be fetched, not " + ((uri.getScheme() != null)
                    ? "'" + uri.getScheme() + "'" : "a URL without a scheme"));
        }
        if (uri.getRawUserInfo() != null) {
            throw badRequest("URLs with credentials are not fetched");
        }
        if (uri.getHost() == null) {
            throw badRequest("the URL names no host: '" + url + "'");
        }
        return uri;
    }

    private static String withoutBrackets(String host) {
        return (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
    }

    /** Looks a host name up: the JDK's resolver, or a stand-in where a test may not ask DNS. */
    @FunctionalInterface
    interface HostResolver {

        InetAddress[] resolve(String host) throws UnknownHostException;

    }

    private static ResponseStatusException badRequest(String reason) {
        return new ResponseStatusException(HttpStatus.BAD_REQUEST, reason);
    }

}
