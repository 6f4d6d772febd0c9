/**
 * Auto-configuration of the {@code asyncore} health contributor
 * ({@link io.github.asyncore.boot.actuate.health}), which also puts it in the liveness group when
 * availability probes are enabled.
 */
@NullMarked
package io.github.asyncore.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
