package io.github.asyncore.demo.chat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.asyncore.demo.DemoApplication;
import org.awaitility.core.ConditionTimeoutException;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.awaitility.Awaitility.await;

/**
 * A real {@code redis-server} (Debian's, from the {@code PATH}) for tests: on a free port of 127.0.0.1, without
 * persistence ({@code --save ''}, {@code --appendonly no}), its output in {@code redis.log} of a temporary
 * directory of its own. It can be stopped ({@link #stop()}) and started again on the same port
 * ({@link #start()}), to take Redis away from the demo and give it back. {@link #command(String)} sends one
 * inline command over a plain socket, for checks such as {@code PUBSUB NUMSUB}; {@link #startDemo} starts a demo
 * instance whose chat room it relays.
 */
public final class RedisServer implements AutoCloseable {

    /** How long a start (until Redis answers PING) or a stop may take. */
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** How long an inline command may take, and the longest reply it reads. */
    private static final int COMMAND_TIMEOUT_MILLIS = 2_000;

    private static final int MAX_REPLY = 1024 * 1024;

    /** Free ports tried before giving up, should another process take the port first. */
    private static final int PORT_ATTEMPTS = 3;

    private final int port;

    private final Path directory;

    /** The password Redis requires ({@code --requirepass}), or {@code null} for none. */
    private final String password;

    private Process process;

    private RedisServer(int port, Path directory, String password) {
        this.port = port;
        this.directory = directory;
        this.password = password;
    }

    /**
     * Starts a Redis on a free loopback port and waits until it answers PING.
     * @return the running Redis
     * @throws IOException when {@code redis-server} cannot be run, or does not answer in time
     */
    public static RedisServer startOnFreePort() throws IOException {
        return startOnFreePort(null);
    }

    /**
     * Starts a Redis that requires a password on a free loopback port and waits until it answers PING.
     * @param password what clients must give ({@code AUTH}), or {@code null} for none
     * @return the running Redis
     * @throws IOException when {@code redis-server} cannot be run, or does not answer in time
     */
    public static RedisServer startOnFreePort(String password) throws IOException {
        Path directory = Files.createTempDirectory("redis-server");
        IOException failure = null;
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            RedisServer redis = new RedisServer(freePort(), directory, password);
            try {
                redis.start();
                return redis;
            }
            catch (IOException ex) { // most likely the port was taken between the look and the bind
                redis.stop();
                failure = (failure != null) ? failure : ex;
                if (failure != ex) {
                    failure.addSuppressed(ex);
                }
            }
        }
        throw failure;
    }

    /**
     * Starts a whole demo application relaying its chat room through this Redis, every listener on a free
     * loopback port.
     * @param properties more command-line properties, such as the chat's rate limits
     * @return the running demo
     */
    ConfigurableApplicationContext startDemo(String... properties) {
        List<String> args = new ArrayList<>(List.of("--server.address=127.0.0.1", "--server.port=0",
                "--management.server.port=0", "--management.server.address=127.0.0.1",
                "--asyncore.dispatchers.echoServer.address=127.0.0.1:0",
                "--asyncore.dispatchers.chatServer.address=127.0.0.1:0",
                "--asyncore.dispatchers.udpEchoServer.address=127.0.0.1:0",
                "--asyncore.dispatchers.tlsEchoServer.address=127.0.0.1:0", "--demo.chat.relay=redis",
                "--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=" + this.port,
                "--spring.main.banner-mode=off"));
        args.addAll(List.of(properties));
        return new SpringApplicationBuilder(DemoApplication.class).run(args.toArray(String[]::new));
    }

    /** @return the port Redis listens on, on 127.0.0.1 */
    public int port() {
        return this.port;
    }

    /** @return the file that holds Redis's output */
    Path log() {
        return this.directory.resolve("redis.log");
    }

    /** @return whether the process runs */
    synchronized boolean isRunning() {
        return this.process != null && this.process.isAlive();
    }

    /**
     * Starts Redis on its port (again, after {@link #stop()}), and waits until it answers PING.
     * @throws IOException when it does not answer in time
     * @throws IllegalStateException when it runs already
     */
    synchronized void start() throws IOException {
        if (isRunning()) {
            throw new IllegalStateException("redis-server runs already on port " + this.port);
        }
        List<String> command = new ArrayList<>(List.of("redis-server", "--port", String.valueOf(this.port), "--bind",
                "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", this.directory.toString()));
        if (this.password != null) {
            command.addAll(List.of("--requirepass", this.password));
        }
        this.process = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
            .start();
        Process started = this.process;
        try {
            await("redis-server on port " + this.port + " answers PING").atMost(WAIT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> !started.isAlive() || command("PING").startsWith("+PONG"));
        }
        catch (ConditionTimeoutException ex) {
            throw new IOException("redis-server did not answer within " + WAIT + "; its log: " + logText(), ex);
        }
        if (!started.isAlive()) {
            throw new IOException("redis-server ended with " + started.exitValue() + "; its log: " + logText());
        }
    }

    /** Stops Redis (SIGTERM, then SIGKILL if it lingers), waiting for the process to end. */
    public synchronized void stop() {
        if (this.process == null) {
            return;
        }
        this.process.destroy();
        try {
            if (!this.process.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                this.process.destroyForcibly().waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        catch (InterruptedException ex) {
            this.process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        this.process = null;
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * Sends one inline command (such as {@code PUBSUB NUMSUB asyncore-demo:chat}) over a socket of its own,
     * after {@code AUTH} when Redis requires a password.
     * @param command the command line, without its CRLF
     * @return Redis's raw reply (for example {@code +PONG\r\n}), or {@code ""} when Redis does not answer
     */
    public String command(String command) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port)) {
            socket.setSoTimeout(COMMAND_TIMEOUT_MILLIS);
            if (this.password != null && !reply(socket, "AUTH " + this.password).equals("+OK\r\n")) {
                return "";
            }
            return reply(socket, command);
        }
        catch (IOException ex) {
            return "";
        }
    }

    private static String reply(Socket socket, String command) throws IOException {
        socket.getOutputStream().write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
        InputStream in = socket.getInputStream();
        StringBuilder reply = new StringBuilder();
        byte[] buffer = new byte[4096];
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(COMMAND_TIMEOUT_MILLIS);
        // a reply ends with CRLF; more may follow in the same reply (arrays), which available() shows
        while (reply.length() < MAX_REPLY && System.nanoTime() - deadline < 0) {
            int read = in.read(buffer);
            if (read < 0) {
                break;
            }
            reply.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
            if (in.available() == 0 && reply.toString().endsWith("\r\n")) {
                break;
            }
        }
        return reply.toString();
    }

    private String logText() {
        try {
            return Files.readString(log());
        }
        catch (IOException ex) {
            return "(unreadable: " + ex + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

}
