/**
 * Actuator endpoint {@code channels}: every live channel and a summary of every event loop, read from
 * snapshots, and an operation that closes one channel.
 */
@NullMarked
package io.github.asyncore.autoconfigure.endpoint;

import org.jspecify.annotations.NullMarked;
