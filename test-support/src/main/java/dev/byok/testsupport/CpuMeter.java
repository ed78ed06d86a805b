package dev.byok.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How many cores were busy while a benchmark phase ran, on average: the whole machine's (Linux
 * {@code /proc/stat}) and this JVM's ({@code /proc/self/stat}). On a machine shared by the broker,
 * PostgreSQL and the service, a pipeline that keeps every core busy is bound by CPU, not by any one
 * of them. Outside this JVM is mostly PostgreSQL in these benchmarks (everything else runs inside it).
 */
public final class CpuMeter {
    /** Average busy cores over a phase. */
    public record Busy(double machine, double jvm) {
        /** Cores busy outside this JVM. */
        public double outside() {
            return machine - jvm;
        }
    }

    /** Linux reports both in clock ticks of USER_HZ, 100 per second on every mainstream kernel. */
    private static final double TICKS_PER_SECOND = 100;

    private final long machineTicks;
    private final long jvmTicks;
    private final long startNanos;

    private CpuMeter() {
        this.machineTicks = machineBusyTicks();
        this.jvmTicks = jvmTicks();
        this.startNanos = System.nanoTime();
    }

    public static CpuMeter start() {
        return new CpuMeter();
    }

    /** The average busy cores since {@link #start()}. */
    public Busy busy() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return new Busy(
                (machineBusyTicks() - machineTicks) / TICKS_PER_SECOND / seconds,
                (jvmTicks() - jvmTicks) / TICKS_PER_SECOND / seconds);
    }

    /** user + nice + system + irq + softirq + steal of the "cpu" line (idle and iowait excluded). */
    private static long machineBusyTicks() {
        String[] f = firstLine("/proc/stat").trim().split("\\s+");
        return Long.parseLong(f[1])
                + Long.parseLong(f[2])
                + Long.parseLong(f[3])
                + Long.parseLong(f[6])
                + Long.parseLong(f[7])
                + Long.parseLong(f[8]);
    }

    /** utime + stime: fields 14 and 15, counted after the command name's closing parenthesis. */
    private static long jvmTicks() {
        String stat = firstLine("/proc/self/stat");
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static String firstLine(String file) {
        try {
            return Files.readAllLines(Path.of(file)).get(0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + " (the CPU figures need Linux)", e);
        }
    }
}
