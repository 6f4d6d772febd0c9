/**
 * Spring application events for the life of asyncore's channels (opened, idle, closed with a reason,
 * connection refused), carried off the loop threads through a bounded queue, and their
 * auto-configuration.
 */
@NullMarked
package io.github.asyncore.autoconfigure.event;

import org.jspecify.annotations.NullMarked;
