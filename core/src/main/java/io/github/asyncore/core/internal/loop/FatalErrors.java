package io.github.asyncore.core.internal.loop;

/**
 * Which errors end the loop thread instead of counting as one channel's fault.
 */
public final class FatalErrors {

    private FatalErrors() {
    }

    /**
     * The errors no handler can recover from (out of memory, an internal JVM error) end the loop thread
     * instead of being treated as one channel's fault; a {@link StackOverflowError} is not one of them:
     * its stack is unwound by the time it is caught, nor is running out of direct buffer memory: the heap
     * is intact, and the channel whose work needed the memory is the one to close.
     * @param error what a handler, task or listener threw
     * @return the error, when it is not fatal
     */
    public static Throwable rethrowIfFatal(Throwable error) {
        if (error instanceof VirtualMachineError && !(error instanceof StackOverflowError)
                && !OutputMemoryExhaustedException.isDirectMemoryError(error)) {
            throw (VirtualMachineError) error;
        }
        return error;
    }

}
