package io.github.asyncore.autoconfigure.console;

import org.jspecify.annotations.Nullable;

/**
 * What the console's page reads first, as {@code /asyncore/config.json}: where the {@code channels}
 * endpoint is and what it may do there, resolved on the server so that the page never guesses. Immutable;
 * any thread.
 *
 * @param channels the endpoint's URL path on this server (with the context path, such as
 *        {@code /actuator/channels}), or {@code null} when it is not exposed over the web
 * @param access the endpoint's access: {@code NONE}, {@code READ_ONLY} or {@code UNRESTRICTED}
 * @param closeAllowed whether the page may close channels ({@code DELETE}): the endpoint is exposed and its
 *        access is unrestricted
 * @param refreshMillis how often the page reads the endpoint
 */
record ConsoleConfig(@Nullable String channels, String access, boolean closeAllowed, long refreshMillis) {

}
