/**
 * Micrometer meters under the {@code asyncore.} name (live channels, bytes, connections, errors,
 * timeouts, stalls and handler run time), and their auto-configuration.
 */
@NullMarked
package io.github.asyncore.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
