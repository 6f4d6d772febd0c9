package io.github.asyncore.demo.soak;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads the server's heap ({@code jvm.memory.used}, area heap), direct buffers
 * ({@code jvm.buffer.memory.used}, id direct: asyncore's pooled output chunks live there), open descriptors
 * ({@code process.files.open}) and live channels ({@code asyncore.channels}) from actuator at a fixed
 * rate, keeps the peaks, and writes every sample to {@code samples.csv}.
 */
final class ServerSampler implements AutoCloseable {

    private final DemoServer server;

    private final ScheduledExecutorService timer;

    private final BufferedWriter csv;

    private final long start = System.nanoTime();

    private double peakHeap;

    private double peakDirect;

    private double peakDescriptors;

    private double peakChannels;

    private long samples;

    private long errors;

    private String lastError;

    ServerSampler(DemoServer server, java.time.Duration interval, Path file) throws IOException {
        this.server = server;
        this.csv = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        this.csv.write("seconds,heap_mib,direct_buffers_mib,open_descriptors,live_channels\n");
        this.timer = Executors.newSingleThreadScheduledExecutor((runnable) -> {
            Thread thread = new Thread(runnable, "soak-sampler");
            thread.setDaemon(true);
            return thread;
        });
        this.timer.scheduleAtFixedRate(this::sample, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void sample() {
        try {
            double heap = this.server.metric("jvm.memory.used", "area:heap");
            double direct = this.server.metric("jvm.buffer.memory.used", "id:direct");
            double descriptors = this.server.metric("process.files.open");
            double channels = this.server.metric("asyncore.channels");
            synchronized (this) {
                this.peakHeap = Math.max(this.peakHeap, heap);
                this.peakDirect = Math.max(this.peakDirect, direct);
                this.peakDescriptors = Math.max(this.peakDescriptors, descriptors);
                this.peakChannels = Math.max(this.peakChannels, channels);
                this.samples++;
                this.csv.write(String.format(Locale.ROOT, "%.1f,%.1f,%.1f,%.0f,%.0f%n",
                        (System.nanoTime() - this.start) / 1e9, heap / SoakReport.MIB, direct / SoakReport.MIB,
                        descriptors, channels));
                this.csv.flush();
            }
        }
        catch (Exception ex) {
            synchronized (this) {
                this.errors++;
                this.lastError = ex.toString();
            }
        }
    }

    synchronized double peakHeap() {
        return this.peakHeap;
    }

    synchronized double peakDirect() {
        return this.peakDirect;
    }

    synchronized double peakDescriptors() {
        return this.peakDescriptors;
    }

    synchronized double peakChannels() {
        return this.peakChannels;
    }

    synchronized long samples() {
        return this.samples;
    }

    synchronized long errors() {
        return this.errors;
    }

    synchronized String lastError() {
        return this.lastError;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        this.timer.shutdown();
        this.timer.awaitTermination(30, TimeUnit.SECONDS);
        synchronized (this) {
            this.csv.close();
        }
    }

}
