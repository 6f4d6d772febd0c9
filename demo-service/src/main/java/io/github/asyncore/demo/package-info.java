/**
 * The asyncore demo service. Each feature is a package of its own: {@code echo}, {@code chat},
 * {@code udp} and {@code fetch}.
 */
package io.github.asyncore.demo;
