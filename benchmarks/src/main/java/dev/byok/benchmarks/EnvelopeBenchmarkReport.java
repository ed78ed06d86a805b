package dev.byok.benchmarks;

import dev.byok.testsupport.MachineInfo;
import dev.byok.testsupport.Samples;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link EnvelopeBenchmark} in rounds ({@code -Dbench.rounds}, default 5): each round runs every
 * benchmark method once (JMH options from the command line), in declaration order on even rounds
 * and in reverse on odd ones, so that no method always runs on a warmer or cooler machine. Prints
 * the median and range of ns per record for each method and of the envelope / raw ratios, which are
 * taken within each round. Target: envelope / raw &lt;= 1.15.
 */
public final class EnvelopeBenchmarkReport {
    private static final List<String> METHODS = List.of(
            "envelopeSeal", "rawGcmSeal", "rawGcmSealWithAad", "envelopeOpen", "rawGcmOpen", "rawGcmOpenWithAad");

    private EnvelopeBenchmarkReport() {}

    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        CommandLineOptions cli = new CommandLineOptions(args);
        int rounds = Integer.getInteger("bench.rounds", 5);
        Map<String, Samples> nanos = new LinkedHashMap<>();
        METHODS.forEach(m -> nanos.put(m, new Samples(m, "ns")));
        for (int round = 0; round < rounds; round++) {
            List<String> order = new ArrayList<>(METHODS);
            if (round % 2 == 1) {
                java.util.Collections.reverse(order);
            }
            for (String method : order) {
                for (RunResult r : new Runner(new OptionsBuilder()
                                .parent(cli)
                                .include(EnvelopeBenchmark.class.getName() + "." + method + "$")
                                .build())
                        .run()) {
                    nanos.get(method).add(r.getPrimaryResult().getScore());
                }
            }
        }
        System.out.printf("%nPer 1 KB record, %d rounds, %s%n", rounds, MachineInfo.describe());
        nanos.values().forEach(s -> System.out.println("  " + s.line()));
        ratio("seal", nanos.get("envelopeSeal"), nanos.get("rawGcmSeal"));
        ratio("open", nanos.get("envelopeOpen"), nanos.get("rawGcmOpen"));
        System.out.println("  "
                + nanos.get("envelopeOpen")
                        .over(nanos.get("rawGcmOpenWithAad"), "open: envelope / raw with AAD")
                        .line());
    }

    private static void ratio(String what, Samples envelope, Samples raw) {
        Samples ratio = envelope.over(raw, what + ": envelope / raw");
        System.out.println("  " + ratio.line() + "  target <= 1.15: " + (ratio.median() <= 1.15 ? "met" : "NOT met"));
    }
}
