/**
 * Not API. The TLS layer: a JDK {@code SSLEngine} between a connection's plaintext and its socket, talking to
 * the channel through the narrow {@link io.github.asyncore.core.internal.tls.TlsTransport}.
 */
package io.github.asyncore.core.internal.tls;
