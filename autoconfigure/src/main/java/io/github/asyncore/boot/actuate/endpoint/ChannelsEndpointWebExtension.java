package io.github.asyncore.boot.actuate.endpoint;

import io.github.asyncore.boot.actuate.endpoint.ChannelsEndpoint.ChannelDescriptor;
import io.github.asyncore.core.CloseMode;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * {@link EndpointWebExtension @EndpointWebExtension} of the {@link ChannelsEndpoint}: over HTTP, a channel
 * is closed in a chosen {@link CloseMode} ({@code DELETE /actuator/channels/{id}?mode=drain}), and deleting
 * a channel that does not exist answers 404. (Without it, Spring Boot answers a {@code null} result of a
 * delete operation with 204 No Content, as if something had been closed.) The read operations are the
 * endpoint's own.
 * <p>
 * Threads: any, as {@link ChannelsEndpoint#closeChannel(long, CloseMode)}.
 */
@EndpointWebExtension(endpoint = ChannelsEndpoint.class)
public class ChannelsEndpointWebExtension {

    private final ChannelsEndpoint delegate;

    /**
     * @param delegate the endpoint that closes the channel
     */
    public ChannelsEndpointWebExtension(ChannelsEndpoint delegate) {
        this.delegate = delegate;
    }

    /**
     * Closes one channel; see {@link ChannelsEndpoint#closeChannel(long, CloseMode)}.
     * @param id the channel's id
     * @param mode {@code close} (the default: the socket closes now, queued output is dropped),
     *        {@code drain} (queued output written, then end-of-stream) or {@code abort} (a reset), any case
     * @return 200 with the channel as it was just before the close was asked, 404 when no live channel has
     *         that id
     * @throws InvalidEndpointRequestException when {@code mode} names no mode (a 400)
     */
    @DeleteOperation
    public WebEndpointResponse<ChannelDescriptor> closeChannel(@Selector long id, @Nullable String mode) {
        ChannelDescriptor closed = this.delegate.closeChannel(id, ChannelsEndpoint.closeMode(mode));
        return (closed != null) ? new WebEndpointResponse<>(closed, WebEndpointResponse.STATUS_OK)
                : new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
    }

}
