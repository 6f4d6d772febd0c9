package io.github.asyncore.benchmarks;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import io.github.asyncore.core.internal.channel.OutputQueue;
import io.github.asyncore.core.internal.loop.LoopBuffers;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The send queue of {@code BufferedDispatcher} ({@link OutputQueue}): 16 sends of a 64-byte message gathered into pooled
 * chunks, then taken out as a socket write would take them. Time per message, socket excluded.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class OutputQueueBenchmark {

    private static final int MESSAGES = 16;

    private final byte[] message = new byte[64];

    private final ByteBuffer sink = ByteBuffer.allocateDirect(64 * 1024);

    private OutputQueue queue;

    @Setup
    public void prepare() {
        this.queue = new OutputQueue(new LoopBuffers());
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public long appendSixteenThenDrain() {
        for (int i = 0; i < MESSAGES; i++) {
            this.queue.append(this.message, 0, this.message.length);
        }
        ByteBuffer head;
        long written = 0;
        while ((head = this.queue.head()) != null) {
            int count = head.remaining();
            this.sink.clear().put(head);
            this.queue.written(head, count);
            written += count;
        }
        return written;
    }

}
