/**
 * The {@code asyncore} health contributor: whether every event loop runs and none is stalled, and its
 * auto-configuration, which also puts it in the liveness group when availability probes are enabled.
 */
@NullMarked
package io.github.asyncore.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
