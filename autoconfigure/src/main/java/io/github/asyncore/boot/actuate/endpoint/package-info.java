/**
 * The {@code channels} actuator endpoint: every live channel of asyncore's loops, and closing one.
 */
@NullMarked
package io.github.asyncore.boot.actuate.endpoint;

import org.jspecify.annotations.NullMarked;
