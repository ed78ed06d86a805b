package dev.byok.ingest;

import dev.byok.testsupport.CpuMeter;
import dev.byok.testsupport.Samples;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * One pipeline of the ingest benchmark's steady pass (encrypted, baseline, or a ceiling), over the
 * rounds: its rate, and how many cores the machine and this JVM kept busy while it ran (everything
 * outside this JVM is PostgreSQL here).
 */
final class SteadyPipeline {
    /** One round's measurement. */
    record Measured(double rate, CpuMeter.Busy busy) {}

    private final String shortName;
    final Samples rate;
    private final Samples machineCores;
    private final Samples outsideCores;

    SteadyPipeline(String name, String shortName, String unit) {
        this.shortName = shortName;
        this.rate = new Samples("steady: " + name, unit);
        this.machineCores = new Samples("  cores busy: machine", "cores");
        this.outsideCores = new Samples("  cores busy: outside this JVM", "cores");
    }

    /** Runs one pass, which returns its rate. */
    Measured measure(Callable<Double> pass) throws Exception {
        CpuMeter meter = CpuMeter.start();
        double rate = pass.call();
        return new Measured(rate, meter.busy());
    }

    void add(Measured m) {
        rate.add(m.rate());
        machineCores.add(m.busy().machine());
        outsideCores.add(m.busy().outside());
    }

    /** For the round's line: "enc 31,000/s on 1.90 cores (0.80 outside)". */
    String brief(Measured m) {
        return String.format(
                "%s %,.0f/s on %.2f cores (%.2f outside)",
                shortName, m.rate(), m.busy().machine(), m.busy().outside());
    }

    List<Samples> distributions() {
        return List.of(rate, machineCores, outsideCores);
    }
}
