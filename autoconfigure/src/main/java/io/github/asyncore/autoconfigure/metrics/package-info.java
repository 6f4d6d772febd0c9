/**
 * Auto-configuration of the Micrometer meters ({@link io.github.asyncore.boot.actuate.metrics}).
 */
@NullMarked
package io.github.asyncore.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
