/**
 * The health indicator of asyncore's loops.
 */
@NullMarked
package io.github.asyncore.boot.actuate.health;

import org.jspecify.annotations.NullMarked;
