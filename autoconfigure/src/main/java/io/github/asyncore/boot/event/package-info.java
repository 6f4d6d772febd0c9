/**
 * Spring application events an application listens to: the life of asyncore's channels (opened, idle,
 * closed with a reason, connection refused), carried off the loop threads through a bounded queue by
 * {@link io.github.asyncore.boot.event.ChannelEventPublisher}, and the start of the dispatcher beans.
 */
@NullMarked
package io.github.asyncore.boot.event;

import org.jspecify.annotations.NullMarked;
