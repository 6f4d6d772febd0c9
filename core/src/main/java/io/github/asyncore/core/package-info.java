/**
 * Python's asyncore and asynchat on Java NIO.
 * <p>
 * A {@link io.github.asyncore.core.Dispatcher} wraps one socket and answers
 * {@link io.github.asyncore.core.Dispatcher#readable() readable()} and
 * {@link io.github.asyncore.core.Dispatcher#writable() writable()}; a
 * {@link io.github.asyncore.core.ChannelMap} holds the live dispatchers; its
 * {@link io.github.asyncore.core.EventLoop} waits on a selector for what they asked and calls their
 * handlers. {@link io.github.asyncore.core.BufferedDispatcher} buffers output (asyncore's
 * {@code dispatcher_with_send}) and {@link io.github.asyncore.core.AsyncChat} frames input (asynchat's
 * {@code async_chat}). A stream channel speaks TLS when given {@link io.github.asyncore.core.TlsSettings}
 * ({@link io.github.asyncore.core.Dispatcher#setTls}): the JDK's {@code SSLEngine} then sits between the
 * socket and the handlers, which keep seeing plaintext; by default both sides offer the protocols and
 * cipher suites of {@link io.github.asyncore.core.TlsProfile} (TLS 1.3 and 1.2 with AEAD suites only).
 * <p>
 * Threads: everything a dispatcher does runs on its map's loop thread. Observers on other threads read
 * {@link io.github.asyncore.core.ChannelSnapshot}s and {@link io.github.asyncore.core.LoopSnapshot}s;
 * other threads hand work to the loop with {@link io.github.asyncore.core.EventExecutor#execute(Runnable)}.
 * A {@link io.github.asyncore.core.ChannelListener} hears, on the loop thread, when channels open, idle and
 * close (with a {@link io.github.asyncore.core.CloseReason}). Each type's documentation says which of its
 * methods any thread may call.
 * <p>
 * <h2>Reconnecting</h2>
 * As in asyncore, a closed dispatcher may create a socket again
 * ({@link io.github.asyncore.core.Dispatcher#createSocket(java.net.ProtocolFamily, SocketType)} or
 * {@link io.github.asyncore.core.Dispatcher#setSocket}): a client reconnects by calling {@code createSocket}
 * and {@code connect} once more on the same object. It then starts afresh, as if just constructed: open,
 * no close reason, not connected, nothing read or ended, no TLS session, no bind address or
 * {@code SO_REUSEADDR} until asked again, and (for {@link io.github.asyncore.core.BufferedDispatcher} and
 * {@link io.github.asyncore.core.AsyncChat}) no output, partial frame or unread input left from the old
 * socket; work other threads handed in for the old socket (sends, a close-when-done) is dropped. It keeps
 * its id, name, settings, TLS settings and cumulative byte counts, and a
 * {@link io.github.asyncore.core.ChannelListener} hears it open and close once more. Do it after the close
 * has returned, not inside {@code handleClose()} or {@code handleError()}, whose callers close the channel
 * once more when they return: hand it to the loop ({@code executor().execute(...)} or a timer) instead.
 * <p>
 * A {@link io.github.asyncore.core.Reconnector} does this for a client, waiting between attempts as a
 * {@link io.github.asyncore.core.ReconnectPolicy} says; it does not reopen a dispatcher closed by the
 * application's own code or by a loop shutdown, and {@link io.github.asyncore.core.Reconnector#stop()} ends
 * a client for good.
 * <p>
 * The classes here are the API; they delegate to the machinery in {@code io.github.asyncore.core.internal},
 * which is not API (see {@code docs/architecture.md}).
 */
package io.github.asyncore.core;
