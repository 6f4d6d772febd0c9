package io.github.asyncore.benchmarks;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.asyncore.core.ChannelMap;
import io.github.asyncore.core.Dispatcher;
import io.github.asyncore.core.SocketType;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One loop iteration (a poll of the selector) with a number of idle channels in the map: the loop's
 * own cost must not grow with channels that have nothing to do. Idle channels are unbound datagram
 * sockets: registered, never ready.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class IdleChannelsBenchmark {

    @Param({ "0", "1000", "10000" })
    public int idleChannels;

    private ChannelMap map;

    @Setup(Level.Trial)
    public void open() throws IOException {
        this.map = new ChannelMap("idle-benchmark");
        for (int i = 0; i < this.idleChannels; i++) {
            Dispatcher idle = new Dispatcher(this.map) {
                @Override
                public boolean writable() {
                    return false;
                }
            };
            idle.createSocket(StandardProtocolFamily.INET, SocketType.DATAGRAM);
        }
        this.map.eventLoop().loop(Duration.ZERO, 1); // registers them all
    }

    @TearDown(Level.Trial)
    public void close() {
        this.map.close();
    }

    @Benchmark
    public void oneIteration() {
        this.map.eventLoop().loop(Duration.ZERO, 1);
    }

}
