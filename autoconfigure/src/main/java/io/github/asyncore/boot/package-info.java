/**
 * Spring Boot support an application may use directly: channel events, and the actuator endpoint,
 * health indicator and meters. The auto-configuration that creates them lives in
 * {@code io.github.asyncore.autoconfigure} and is not API.
 */
@NullMarked
package io.github.asyncore.boot;

import org.jspecify.annotations.NullMarked;
