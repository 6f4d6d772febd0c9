/**
 * The operator's console: a page on the management server, at {@code /asyncore/}, that reads the
 * {@code channels} actuator endpoint from the browser and shows the loops and channels live. Servlet (Spring
 * MVC) applications only; on with {@code asyncore.console.enabled=true}.
 */
@NullMarked
package io.github.asyncore.autoconfigure.console;

import org.jspecify.annotations.NullMarked;
