/**
 * Not API. The per-channel core under each {@code Dispatcher}: interest evaluation, event routing, close
 * with its cause, half-close, the drain step, idle tracking, the accept gate and limits, counters, output
 * bounds. It reaches its dispatcher only through {@link io.github.asyncore.core.internal.channel.ChannelHandler}.
 */
package io.github.asyncore.core.internal.channel;
