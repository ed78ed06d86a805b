package dev.byok.lockdown;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventTimeWindowTest {
    private static final Instant TRUSTED = Instant.parse("2026-11-30T12:00:00Z");
    private final EventTimeWindow window = new EventTimeWindow(Duration.ofMinutes(5));

    @Test
    void claimWithinTheSkew_isKept() {
        assertThat(window.accept(TRUSTED.minusSeconds(299), TRUSTED))
                .isEqualTo(new EventTimeWindow.Accepted(TRUSTED.minusSeconds(299), false));
        assertThat(window.accept(TRUSTED.plusSeconds(300), TRUSTED))
                .isEqualTo(new EventTimeWindow.Accepted(TRUSTED.plusSeconds(300), false));
    }

    @Test
    void claimOutsideTheSkew_isReplacedByTheTrustedTime() {
        for (Instant claimed : new Instant[] {
            Instant.MAX, Instant.MIN, Instant.EPOCH, Instant.parse("3000-01-01T00:00:00Z"), TRUSTED.plusSeconds(301)
        }) {
            assertThat(window.accept(claimed, TRUSTED))
                    .as(claimed.toString())
                    .isEqualTo(new EventTimeWindow.Accepted(TRUSTED, true));
        }
    }
}
