package io.github.asyncore.benchmarks;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import io.github.asyncore.core.internal.channel.TerminatorSearch;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@code AsyncChat}'s terminator search ({@link TerminatorSearch}) over one 64 KiB read of 64-byte lines: the time per line it
 * costs to find where each frame ends.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TerminatorSearchBenchmark {

    private static final int LINE = 64;

    @Param({ "\\n", "\\r\\n" })
    public String terminator;

    private byte[] term;

    private ByteBuffer input;

    @Setup
    public void prepare() {
        this.term = this.terminator.replace("\\r", "\r").replace("\\n", "\n").getBytes();
        this.input = ByteBuffer.allocateDirect(64 * 1024);
        while (this.input.remaining() >= LINE) {
            for (int i = 0; i < LINE - this.term.length; i++) {
                this.input.put((byte) ('a' + i % 26));
            }
            this.input.put(this.term);
        }
        this.input.flip();
    }

    /** @return the lines found; divide the time by {@code 64 KiB / 64} for the cost per line */
    @Benchmark
    public int findEveryLine() {
        ByteBuffer buffer = this.input;
        buffer.position(0);
        int lines = 0;
        int index;
        while ((index = TerminatorSearch.indexOf(buffer, this.term)) >= 0) {
            buffer.position(index + this.term.length);
            lines++;
        }
        return lines;
    }

}
