package io.github.asyncore.boot.actuate.endpoint;

import io.github.asyncore.boot.actuate.endpoint.ChannelsEndpoint.ChannelDescriptor;

import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * {@link EndpointWebExtension @EndpointWebExtension} of the {@link ChannelsEndpoint}: over HTTP, deleting
 * a channel that does not exist answers 404. (Without it, Spring Boot answers a {@code null} result of a
 * delete operation with 204 No Content, as if something had been closed.) The read operations are the
 * endpoint's own.
 * <p>
 * Threads: any, as {@link ChannelsEndpoint#closeChannel(long)}.
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
     * Closes one channel; see {@link ChannelsEndpoint#closeChannel(long)}.
     * @param id the channel's id
     * @return 200 with the channel as it was just before it was closed, or 404 when no live channel has
     *         that id
     */
    @DeleteOperation
    public WebEndpointResponse<ChannelDescriptor> closeChannel(@Selector long id) {
        ChannelDescriptor closed = this.delegate.closeChannel(id);
        return (closed != null) ? new WebEndpointResponse<>(closed, WebEndpointResponse.STATUS_OK)
                : new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
    }

}
