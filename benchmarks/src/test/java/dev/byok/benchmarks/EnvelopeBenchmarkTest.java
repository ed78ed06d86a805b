package dev.byok.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Every benchmark method once, outside JMH: the benchmark's set-up runs and each open gives back the
 * plaintext, so the documented command cannot fail on code that {@code mvn verify} only compiled.
 */
class EnvelopeBenchmarkTest {
    @Test
    void everyMethodRuns_andEveryOpenReturnsThePlaintext() throws Exception {
        EnvelopeBenchmark bench = new EnvelopeBenchmark();
        bench.recordBytes = 1024;
        bench.setUp();
        byte[] plaintext = bench.envelopeOpen();

        assertThat(plaintext).hasSize(1024);
        assertThat(bench.rawGcmOpen()).isEqualTo(plaintext);
        assertThat(bench.rawGcmOpenWithAad()).isEqualTo(plaintext);
        assertThat(bench.rawGcmSeal()).hasSize(1024 + 16);
        assertThat(bench.rawGcmSealWithAad()).hasSize(1024 + 16);
        assertThat(bench.envelopeSeal()).hasSizeGreaterThan(1024 + 16);
    }
}
