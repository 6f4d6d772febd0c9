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
 * As in asyncore, a closed dispatcher may create a socket again; a {@link io.github.asyncore.core.Reconnector}
 * uses that to keep a client connected, waiting between attempts as a
 * {@link io.github.asyncore.core.ReconnectPolicy} says.
 */
package io.github.asyncore.core;
