package io.github.asyncore.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU time spent during a load generator's measured window, read from Linux's {@code /proc} at the
 * window's start and end, and the words that report it on the {@link ResultLine}: the server's (all its
 * threads, {@code /proc/PID/stat}), this process's, and the whole machine's ({@code /proc/stat}), so that a
 * result can say what each message cost the server and whether other work shared the machine.
 * <p>
 * Times are read in clock ticks ({@code CLK_TCK}, which the JVM cannot ask for: the script passes
 * {@code getconf CLK_TCK}) and reported in seconds, cores (seconds per second of window) and microseconds
 * per message. A figure that could not be read at both ends (no server PID, a process gone, no
 * {@code /proc}) is left off the line.
 */
final class CpuWindow {

    private final long serverPid;

    /** Seconds per clock tick. */
    private final double tick;

    /** User and system ticks of the server and of this process, at the start and end; null if unread. */
    private long[] serverStart;

    private long[] serverEnd;

    private long[] selfStart;

    private long[] selfEnd;

    /** Busy and steal ticks of all CPUs, at the start and end; null if unread. */
    private long[] machineStart;

    private long[] machineEnd;

    /**
     * @param serverPid the server's process id, or 0 or less for no server figures
     * @param clockTicks clock ticks per second ({@code getconf CLK_TCK})
     */
    CpuWindow(long serverPid, long clockTicks) {
        this.serverPid = serverPid;
        this.tick = 1.0 / clockTicks;
    }

    /** Reads the ticks at the window's start. */
    void start() {
        this.serverStart = processTicks(this.serverPid);
        this.selfStart = processTicks(ProcessHandle.current().pid());
        this.machineStart = machineTicks();
    }

    /** Reads the ticks at the window's end. */
    void end() {
        this.serverEnd = processTicks(this.serverPid);
        this.selfEnd = processTicks(ProcessHandle.current().pid());
        this.machineEnd = machineTicks();
    }

    /**
     * Appends the CPU words: {@code server_cpu_s} (seconds, 3 decimals) and {@code server_us_per_msg}
     * ({@code usDigits} decimals; {@code nan} without messages); with {@code detailed},
     * {@code server_user_us_per_msg} and {@code server_sys_us_per_msg} (the same split into user and kernel
     * time, when there were messages); {@code client_cpu_s} (this process), with {@code detailed} also
     * {@code client_us_per_msg}; then {@code busy_cores} (all CPUs' user, nice, system, irq and softirq
     * time), {@code foreign_cores} (busy less server less this process: other work on the machine) and
     * {@code steal_cores} (2 decimals each).
     *
     * @param messages the messages counted in the window
     * @param window the window's length in seconds, for the cores
     */
    void appendTo(ResultLine line, long messages, double window, int usDigits, boolean detailed) {
        double server = seconds(this.serverStart, this.serverEnd);
        double client = seconds(this.selfStart, this.selfEnd);
        if (server >= 0) {
            line.word("server_cpu_s", ResultLine.round(server, 3));
            line.word("server_us_per_msg",
                    (messages > 0) ? ResultLine.round(server * 1e6 / messages, usDigits) : "nan");
            if (detailed && messages > 0) {
                long user = this.serverEnd[0] - this.serverStart[0];
                long system = this.serverEnd[1] - this.serverStart[1];
                line.word("server_user_us_per_msg", ResultLine.round(user * this.tick * 1e6 / messages, usDigits));
                line.word("server_sys_us_per_msg", ResultLine.round(system * this.tick * 1e6 / messages, usDigits));
            }
        }
        if (client >= 0) {
            line.word("client_cpu_s", ResultLine.round(client, 3));
            if (detailed) {
                line.word("client_us_per_msg",
                        (messages > 0) ? ResultLine.round(client * 1e6 / messages, usDigits) : "nan");
            }
        }
        if (this.machineStart != null && this.machineEnd != null && window > 0) {
            double busy = (this.machineEnd[0] - this.machineStart[0]) * this.tick / window;
            double steal = (this.machineEnd[1] - this.machineStart[1]) * this.tick / window;
            line.word("busy_cores", ResultLine.round(busy, 2));
            double others = busy - (Math.max(server, 0) + Math.max(client, 0)) / window;
            line.word("foreign_cores", ResultLine.round(others, 2));
            line.word("steal_cores", ResultLine.round(steal, 2));
        }
    }

    /** User + system seconds between two readings of a process, or -1 if either is missing. */
    private double seconds(long[] start, long[] end) {
        if (start == null || end == null) {
            return -1;
        }
        return ((end[0] + end[1]) - (start[0] + start[1])) * this.tick;
    }

    /** User and system clock ticks of a process (all threads), or null if they cannot be read. */
    static long[] processTicks(long pid) {
        if (pid <= 0) {
            return null;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // the name may hold spaces
            return new long[] { Long.parseLong(fields[11]), Long.parseLong(fields[12]) }; // proc(5) fields 14, 15
        }
        catch (IOException | RuntimeException ex) {
            return null;
        }
    }

    /** All CPUs' busy ticks (user, nice, system, irq, softirq) and steal ticks, or null if unreadable. */
    static long[] machineTicks() {
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = Long.parseLong(cpu[1]) + Long.parseLong(cpu[2]) + Long.parseLong(cpu[3])
                    + Long.parseLong(cpu[6]) + Long.parseLong(cpu[7]);
            return new long[] { busy, Long.parseLong(cpu[8]) };
        }
        catch (IOException | RuntimeException ex) {
            return null;
        }
    }

}
