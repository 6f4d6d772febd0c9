/**
 * The asyncore demo service. Each feature is a package of its own: {@code echo}, {@code chat},
 * {@code udp} and {@code fetch}; {@code support} holds what more than one of them uses.
 */
package io.github.asyncore.demo;
