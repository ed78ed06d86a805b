package dev.byok.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DekPolicyTest {
    private final Instant created = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void recordBoundAboveTheHardLimit_isRefused() {
        assertThatThrownBy(() -> new DekPolicy(DekPolicy.HARD_MAX_RECORDS + 1, Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxRecords");
    }

    @Test
    void hardLimit_staysFarBelowTheGcmRandomNonceLimit() {
        assertThat(DekPolicy.HARD_MAX_RECORDS).isLessThanOrEqualTo((1L << 32) / 16);
    }

    @Test
    void nonPositiveAge_isRefused() {
        assertThatThrownBy(() -> new DekPolicy(10, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void allowsAnother_untilCountOrAgeRunsOut() {
        DekPolicy policy = new DekPolicy(10, Duration.ofHours(1));

        assertThat(policy.allowsAnother(9, created, created.plusSeconds(10))).isTrue();
        assertThat(policy.allowsAnother(10, created, created.plusSeconds(10))).isFalse();
        assertThat(policy.allowsAnother(0, created, created.plus(Duration.ofHours(1))))
                .isFalse();
    }
}
