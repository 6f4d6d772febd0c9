package io.github.asyncore.demo.fetch;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.CompletableFuture;

import javax.net.ssl.SSLContext;

import io.github.asyncore.core.ChannelMap;
import io.github.asyncore.core.EventLoopGroup;
import io.github.asyncore.core.TlsSettings;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.web.server.ResponseStatusException;

/**
 * Runs the seed's HTTP client on asyncore's event loop for a web request. Checks the URL and resolves
 * the host on the caller's thread (a name lookup blocks, so it must not run on the loop), then hands the
 * client to a loop. {@code https://} URLs speak TLS, checking the server's certificate against
 * {@code demo.fetch.trust-bundle} (or the JDK's certificate authorities) and the URL's host. Any thread.
 */
@Service
public class FetchService {

    private final EventLoopGroup loops;

    private final FetchProperties properties;

    /** The trust for {@code https://}; replaced when the bundle is reloaded. */
    private volatile SSLContext tlsContext;

    public FetchService(EventLoopGroup loops, FetchProperties properties, SslBundles sslBundles)
            throws NoSuchAlgorithmException {
        this.loops = loops;
        this.properties = properties;
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
     * @return the response, or a {@link ResponseStatusException}: 400 for a URL we do not fetch, 502 when
     *         the server cannot be reached or answers badly, 504 when it is too slow
     * @throws ResponseStatusException 400 or 502 at once, when the URL or host is unusable
     */
    public CompletableFuture<FetchResponse> fetch(String url) {
        URI uri = check(url);
        InetSocketAddress server = resolve(uri);
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty()) ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        String request = path;
        TlsSettings tls = "https".equalsIgnoreCase(uri.getScheme())
                ? TlsSettings.client(this.tlsContext).withPeerHost(uri.getHost()) : null;
        CompletableFuture<byte[]> response = new CompletableFuture<>();
        ChannelMap map = this.loops.next();
        map.eventLoop().execute(() -> FetchClient.start(server, request, tls, this.properties, map, response));
        int preview = (int) this.properties.bodyPreview().toBytes();
        return response.thenApply((raw) -> FetchResponse.parse(url, raw, preview));
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

    private static InetSocketAddress resolve(URI uri) {
        int port = (uri.getPort() != -1) ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        try {
            return new InetSocketAddress(InetAddress.getByName(uri.getHost()), port);
        }
        catch (UnknownHostException ex) {
            throw new ResponseStatusException(HttpStatus.BAD_GATEWAY, "unknown host '" + uri.getHost() + "'");
        }
    }

    private static ResponseStatusException badRequest(String reason) {
        return new ResponseStatusException(HttpStatus.BAD_REQUEST, reason);
    }

}
