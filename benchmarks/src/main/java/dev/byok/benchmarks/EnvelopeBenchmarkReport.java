package dev.byok.benchmarks;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link EnvelopeBenchmark} (JMH options from the command line) and prints, from that one run,
 * the cost per record of envelope seal/open next to raw AES-256-GCM and their ratios. Target:
 * envelope / raw &lt;= 1.15.
 */
public final class EnvelopeBenchmarkReport {
    private EnvelopeBenchmarkReport() {}

    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        CommandLineOptions cli = new CommandLineOptions(args);
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                        .parent(cli)
                        .include(EnvelopeBenchmark.class.getName())
                        .build())
                .run();
        Map<String, double[]> byName = new TreeMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark().replaceAll(".*\\.", "");
            byName.put(name, new double[] {
                r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()
            });
        }
        System.out.println();
        System.out.println("Per 1 KB record (ns/op, +- 99.9% error), "
                + Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.version"));
        byName.forEach((name, v) -> System.out.printf(
                "  %-14s %9.1f +- %.1f ns   (%,.0f records/s per core)%n", name, v[0], v[1], 1e9 / v[0]));
        ratio("seal", byName.get("envelopeSeal"), byName.get("rawGcmSeal"));
        ratio("open", byName.get("envelopeOpen"), byName.get("rawGcmOpen"));
    }

    private static void ratio(String what, double[] envelope, double[] raw) {
        if (envelope != null && raw != null) {
            double ratio = envelope[0] / raw[0];
            System.out.printf(
                    "  %s: envelope / raw = %.3f (target <= 1.15: %s)%n",
                    what, ratio, ratio <= 1.15 ? "met" : "NOT met");
        }
    }
}
