package dev.byok.lockdown;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OwnLockStatesTest {
    private final OwnLockStates own = new OwnLockStates();

    @Test
    void ownRecordsReadBackInOrder_areRecognised_onceEach() {
        own.sent("t", bytes("degraded"));
        own.sent("t", bytes("locked"));

        assertThat(own.readBack("t", bytes("degraded"))).isTrue();
        assertThat(own.readBack("t", bytes("locked"))).isTrue();
        assertThat(own.readBack("t", bytes("locked")))
                .as("a copy written by someone else")
                .isFalse();
    }

    @Test
    void readingALaterOwnRecord_accountsForEarlierOnesThatNeverCameBack() {
        own.sent("t", bytes("lost"));
        own.sent("t", bytes("kept"));

        assertThat(own.readBack("t", bytes("kept"))).isTrue();
        assertThat(own.readBack("t", bytes("lost"))).isFalse();
    }

    @Test
    void foreignRecordsAndTombstones_areNotOwn() {
        own.sent("t", bytes("healthy"));

        assertThat(own.readBack("t", bytes("forged"))).isFalse();
        assertThat(own.readBack("t", null)).isFalse();
        assertThat(own.readBack("other", bytes("healthy"))).isFalse();
    }

    @Test
    void ownTombstone_isRecognised_andForgottenTenantsHoldNothing() {
        own.sent("t", null);
        own.sent("u", bytes("x"));
        own.forget(List.of("u"));

        assertThat(own.readBack("t", null)).isTrue();
        assertThat(own.readBack("u", bytes("x"))).isFalse();
    }

    @Test
    void atMostTheLimitIsHeldPerTenant() {
        for (int i = 0; i <= OwnLockStates.MAX_IN_FLIGHT; i++) {
            own.sent("t", bytes("state-" + i));
        }

        assertThat(own.readBack("t", bytes("state-0")))
                .as("dropped as the oldest")
                .isFalse();
        assertThat(own.readBack("t", bytes("state-1"))).isTrue();
    }

    private static byte[] bytes(String s) {
        return s.getBytes();
    }
}
