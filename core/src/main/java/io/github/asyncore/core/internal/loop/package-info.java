/**
 * Not API. The selector loop's machinery: running tasks and timers, driving the selector over the channels
 * ({@link io.github.asyncore.core.internal.loop.LoopChannel}), graceful shutdown, and the loop-wide buffers and
 * counters. It knows nothing of dispatchers.
 */
package io.github.asyncore.core.internal.loop;
