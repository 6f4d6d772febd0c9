package io.github.asyncore.core.internal.channel;

import java.io.IOException;

/** Work on a channel's loop that may throw an I/O error, run with the channel's error routing. Not API. */
@FunctionalInterface
public interface IoAction {

    /** @throws IOException as the action's socket operations do */
    void run() throws IOException;

}
