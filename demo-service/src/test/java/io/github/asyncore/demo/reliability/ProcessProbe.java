package io.github.asyncore.demo.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What the test JVM, which is also the demo service's process, holds: live heap and open descriptors.
 */
final class ProcessProbe {

    static final long MEBIBYTE = 1024 * 1024;

    private static final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

    private static final Path OPEN_FILES = Path.of("/proc/self/fd");

    private ProcessProbe() {
    }

    /**
     * @return the heap in use right after two full collections: what is reachable, without the garbage
     *         that happens to be around (two, so that objects freed by reference processing of the first
     *         are gone too)
     */
    static long usedHeapAfterGc() {
        System.gc();
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** @return the process's open file descriptors: the entries of {@code /proc/self/fd} */
    static long openFileDescriptors() {
        try (Stream<Path> entries = Files.list(OPEN_FILES)) {
            return entries.count();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    static String mebibytes(long bytes) {
        return String.format("%.1f MiB", bytes / (double) MEBIBYTE);
    }

}
