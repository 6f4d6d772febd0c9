package io.github.asyncore.demo.fetch;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.concurrent.CompletableFuture;

import io.github.asyncore.core.ChannelMap;
import io.github.asyncore.core.EventLoopGroup;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.web.server.ResponseStatusException;

/**
 * Runs the seed's HTTP client on asyncore's event loop for a web request. Checks the URL and resolves
 * the host on the caller's thread (a name lookup blocks, so it must not run on the loop), then hands the
 * client to a loop. Any thread.
 */
@Service
public class FetchService {

    private final EventLoopGroup loops;

    private final FetchProperties properties;

    public FetchService(EventLoopGroup loops, FetchProperties properties) {
        this.loops = loops;
        this.properties = properties;
    }

    /**
     * @param url an {@code http://} URL
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
        CompletableFuture<byte[]> response = new CompletableFuture<>();
        ChannelMap map = this.loops.next();
        map.eventLoop().execute(() -> FetchClient.start(server, request, this.properties, map, response));
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
        if (!"http".equalsIgnoreCase(uri.getScheme())) {
            throw badRequest("only http:// URLs can be fetched, not " + ((uri.getScheme() != null)
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
        int port = (uri.getPort() != -1) ? uri.getPort() : 80;
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
