package dev.byok.testsupport;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/** What a benchmark's figures depend on besides the code: JVM, heap, GC, cores, and this JVM's peak RSS. */
public final class MachineInfo {
    private MachineInfo() {}

    public static String describe() {
        Runtime runtime = Runtime.getRuntime();
        String gcs = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName)
                .collect(Collectors.joining(", "));
        return String.format(
                "%s %s (%s), max heap %,d MB, GC %s, %d cores",
                System.getProperty("java.vm.name"),
                System.getProperty("java.version"),
                System.getProperty("java.vm.vendor"),
                runtime.maxMemory() / (1024 * 1024),
                gcs,
                runtime.availableProcessors());
    }

    /** VmHWM of this process (Linux), or "unknown". */
    public static String peakRss() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("VmHWM"))
                    .findFirst()
                    .map(l -> l.replaceAll("\\s+", " ").substring(6).trim())
                    .orElse("unknown");
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
