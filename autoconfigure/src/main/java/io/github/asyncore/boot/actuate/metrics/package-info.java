/**
 * Micrometer meters of asyncore's loops, dispatchers and channel events.
 */
@NullMarked
package io.github.asyncore.boot.actuate.metrics;

import org.jspecify.annotations.NullMarked;
