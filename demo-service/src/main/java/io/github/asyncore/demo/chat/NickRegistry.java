package io.github.asyncore.demo.chat;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Who holds which nick beyond this instance's own chatters: nobody else by default (one room per instance), or
 * every instance of a room relayed through Redis ({@link RedisNicks}). The {@link ChatRoom} keeps its own
 * chatters' nicks unique itself and asks the registry only about nicks no chatter here holds.
 * <p>
 * Every method may be called from any thread and must not block: answers may come later, on a thread of the
 * registry's own; a future never completes exceptionally (a registry that cannot ask answers for this instance
 * alone).
 */
interface NickRegistry {

    /** The registry of a room that is this instance's alone: every nick free here is free. */
    NickRegistry LOCAL = new NickRegistry() {

        @Override
        public CompletableFuture<Boolean> claim(String nick) {
            return CompletableFuture.completedFuture(true);
        }

        @Override
        public void release(String nick) {
        }

        @Override
        public CompletableFuture<List<String>> list(List<String> here) {
            return CompletableFuture.completedFuture(here);
        }

    };

    /**
     * Takes a nick no chatter of this instance holds.
     * @param nick a valid nick
     * @return {@code true} once the nick is this instance's, {@code false} when another instance holds it
     */
    CompletableFuture<Boolean> claim(String nick);

    /** Gives back a nick this instance claimed (its chatter left or took another); nothing when it holds none. */
    void release(String nick);

    /**
     * @param here the nicks of this instance's chatters, sorted
     * @return every nick in the room, sorted; {@code here} when the others cannot be asked
     */
    CompletableFuture<List<String>> list(List<String> here);

}
