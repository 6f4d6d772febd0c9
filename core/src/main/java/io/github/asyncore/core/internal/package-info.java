/**
 * The machinery under asyncore's API: not API. Types here are public only so that the API package and
 * the sub-packages can reach each other; they may change in any release, and applications, the starter and
 * the demo never import them (an ArchUnit rule checks it). Sub-packages: {@code channel} (the per-channel
 * core), {@code transport} (one class per socket kind), {@code tls} (the TLS layer), {@code loop} (task and
 * timer running, selector driving, graceful shutdown). See {@code docs/architecture.md}.
 */
package io.github.asyncore.core.internal;
