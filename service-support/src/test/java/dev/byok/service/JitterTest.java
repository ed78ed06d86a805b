package dev.byok.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class JitterTest {

    @Test
    void around_staysWithinTenPercentAndSpreads() {
        Duration interval = Duration.ofMinutes(5);
        Set<Duration> seen = new HashSet<>();
        IntStream.range(0, 1_000).forEach(i -> seen.add(Jitter.around(interval)));

        assertThat(seen).allSatisfy(d -> assertThat(d).isBetween(Duration.ofSeconds(270), Duration.ofSeconds(330)));
        assertThat(seen).hasSizeGreaterThan(100);
    }

    @Test
    void around_toleratesTinyIntervals() {
        assertThat(Jitter.around(Duration.ofMillis(3))).isBetween(Duration.ZERO, Duration.ofMillis(3));
    }
}
