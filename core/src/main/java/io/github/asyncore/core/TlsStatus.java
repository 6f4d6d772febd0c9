package io.github.asyncore.core;

/**
 * Where a TLS channel's handshake stands, for observers on any thread ({@link Dispatcher#getTlsStatus()},
 * {@link ChannelSnapshot#tls()}). A listener with TLS settings reports one that never completes: its
 * connections have their own.
 *
 * @param handshakeComplete whether the first handshake has finished
 * @param protocol the negotiated protocol, for example {@code TLSv1.3}, or {@code null} until the
 *        handshake has finished
 * @param cipherSuite the negotiated cipher suite, for example {@code TLS_AES_256_GCM_SHA384}, or
 *        {@code null} until the handshake has finished
 */
public record TlsStatus(boolean handshakeComplete, String protocol, String cipherSuite) {
}
