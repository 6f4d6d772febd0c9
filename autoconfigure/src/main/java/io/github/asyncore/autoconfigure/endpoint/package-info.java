/**
 * Auto-configuration of the {@code channels} actuator endpoint
 * ({@link io.github.asyncore.boot.actuate.endpoint}).
 */
@NullMarked
package io.github.asyncore.autoconfigure.endpoint;

import org.jspecify.annotations.NullMarked;
