package io.github.asyncore.core.internal.loop;

import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;

/**
 * Work a loop runs when its shutdown begins, before any channel is closed (the {@code Reconnector}s of its
 * channels stop there, so that the shutdown's closes are not answered with new connects). Added and removed
 * on any thread; run on the loop thread.
 */
public final class ShutdownHooks {

    private final Set<Runnable> hooks = new CopyOnWriteArraySet<>();

    /** Adds work; added once however often it is passed. Any thread. */
    public void add(Runnable hook) {
        this.hooks.add(hook);
    }

    /** Removes work added before. Any thread. */
    public void remove(Runnable hook) {
        this.hooks.remove(hook);
    }

    /** Runs every hook through the loop's guard, which logs what one throws. Loop thread. */
    public void run(Consumer<Runnable> guard) {
        this.hooks.forEach(guard);
    }

}
