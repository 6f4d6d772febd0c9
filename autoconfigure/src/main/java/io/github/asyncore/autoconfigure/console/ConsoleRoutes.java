package io.github.asyncore.autoconfigure.console;

import java.net.URI;
import java.util.Optional;

import io.github.asyncore.autoconfigure.console.ConsoleAssets.Asset;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The console's routes, relative to the management server's root: {@code /asyncore} redirects to
 * {@code /asyncore/}, which serves the page; {@code /asyncore/config.json} says where the {@code channels}
 * endpoint is; {@code /asyncore/<file>} serves the page's own files and nothing else.
 * <p>
 * Every response forbids other origins with a Content-Security-Policy (scripts, styles, images and requests
 * from this server only; no framing, no forms, no base URL), and is not to be sniffed for another type. The
 * files are revalidated on each load with their entity tag ({@code no-cache}), so an upgraded starter is
 * picked up at once; the configuration is never stored.
 * <p>
 * Threads: handlers run on the server's request threads and share only immutable state.
 */
final class ConsoleRoutes {

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /** How often the page reads the endpoint: about once a second, as an operator expects of a live view. */
    static final long REFRESH_MILLIS = 1000;

    private final ConsoleAssets assets;

    private final ChannelsEndpointAccess channels;

    ConsoleRoutes(ConsoleAssets assets, ChannelsEndpointAccess channels) {
        this.assets = assets;
        this.channels = channels;
    }

    RouterFunction<ServerResponse> routes() {
        return RouterFunctions.route()
            .GET("/asyncore", this::redirect)
            .GET("/asyncore/", (request) -> asset(request, "index.html"))
            .GET("/asyncore/config.json", this::config)
            .GET("/asyncore/{file}", (request) -> asset(request, request.pathVariable("file")))
            .build();
    }

    private ServerResponse redirect(ServerRequest request) {
        URI index = URI.create(request.requestPath().value() + "/");
        return secured(ServerResponse.status(HttpStatus.FOUND)).location(index).build();
    }

    private ServerResponse asset(ServerRequest request, String name) {
        Asset asset = this.assets.get(name);
        if (asset == null) {
            return secured(ServerResponse.status(HttpStatus.NOT_FOUND)).build();
        }
        Optional<ServerResponse> notModified = request.checkNotModified(asset.etag());
        if (notModified.isPresent()) {
            return notModified.get();
        }
        return secured(ServerResponse.ok()).cacheControl(CacheControl.noCache())
            .eTag(asset.etag())
            .contentType(asset.type())
            .body(asset.content());
    }

    private ServerResponse config(ServerRequest request) {
        String path = this.channels.path();
        // the request's context path holds management.server.base-path (or the servlet's), which the
        // endpoint's path (base path and mapping) does not
        String url = (path != null) ? request.requestPath().contextPath().value() + path : null;
        ConsoleConfig config = new ConsoleConfig(url, this.channels.access().name(), this.channels.closeAllowed(),
                REFRESH_MILLIS);
        return secured(ServerResponse.ok()).cacheControl(CacheControl.noStore())
            .contentType(MediaType.APPLICATION_JSON)
            .body(config);
    }

    private static ServerResponse.BodyBuilder secured(ServerResponse.BodyBuilder response) {
        return response.header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
            .header("X-Content-Type-Options", "nosniff")
            .header("Referrer-Policy", "no-referrer");
    }

}
