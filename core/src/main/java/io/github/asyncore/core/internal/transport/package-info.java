/**
 * Not API. One transport per socket kind (stream connection or client, listener, datagram socket; TCP and
 * Unix domain): opening, binding, connecting, accepting, reading and writing bytes, half-closing and closing
 * the JDK channel. Transports know nothing of dispatchers, handlers or the loop.
 */
package io.github.asyncore.core.internal.transport;
