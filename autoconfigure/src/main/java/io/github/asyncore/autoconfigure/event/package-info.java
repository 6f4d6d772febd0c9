/**
 * Auto-configuration of the channel events ({@link io.github.asyncore.boot.event}) and their publisher.
 */
@NullMarked
package io.github.asyncore.autoconfigure.event;

import org.jspecify.annotations.NullMarked;
