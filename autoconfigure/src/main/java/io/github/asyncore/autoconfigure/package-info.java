/**
 * Auto-configuration of asyncore's event loops, the registration of dispatcher beans, and the
 * {@code asyncore.*} properties.
 */
@NullMarked
package io.github.asyncore.autoconfigure;

import org.jspecify.annotations.NullMarked;
