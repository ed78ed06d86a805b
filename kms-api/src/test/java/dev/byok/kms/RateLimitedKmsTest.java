package dev.byok.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RateLimitedKmsTest {
    private final InMemoryKms inner = new InMemoryKms();
    private final KeyRef key = inner.createKey("k");
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void tearDown() {
        scheduler.shutdownNow();
    }

    @Test
    void callsWithinTheBudget_pass_andTheNextFailsAtOnceAsThrottled() {
        Kms kms = RateLimitedKms.wrap(inner, new RateLimitedKms.Budget(3, Duration.ZERO), scheduler, now::get);

        for (int i = 0; i < 3; i++) {
            KmsFutures.join(kms.resolveLatest(key));
        }

        assertThatThrownBy(() -> KmsFutures.join(kms.resolveLatest(key)))
                .isInstanceOfSatisfying(KmsException.class, e -> {
                    assertThat(e.failure()).isEqualTo(KeyAccessFailure.THROTTLED);
                    assertThat(e.retryAfter())
                            .hasValueSatisfying(
                                    d -> assertThat(d).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(4)));
                });
        assertThat(inner.calls("resolveLatest")).isEqualTo(3);
    }

    @Test
    void viewOverAnotherKms_spendsTheSameVaultBudget() {
        RateLimitedKms first =
                RateLimitedKms.wrap(inner, new RateLimitedKms.Budget(2, Duration.ZERO), scheduler, now::get);
        Kms second = first.over(inner); // the same vault reached through another directory's sign-in

        KmsFutures.join(first.resolveLatest(key));
        KmsFutures.join(second.resolveLatest(key));

        assertThatThrownBy(() -> KmsFutures.join(second.resolveLatest(key)))
                .isInstanceOfSatisfying(
                        KmsException.class, e -> assertThat(e.failure()).isEqualTo(KeyAccessFailure.THROTTLED));
        assertThatThrownBy(() -> KmsFutures.join(first.resolveLatest(key))).isInstanceOf(KmsException.class);
        assertThat(inner.calls("resolveLatest")).isEqualTo(2);
    }

    @Test
    void budgetRefills_atItsRate() {
        Kms kms = RateLimitedKms.wrap(inner, new RateLimitedKms.Budget(10, Duration.ZERO), scheduler, now::get);
        for (int i = 0; i < 10; i++) {
            KmsFutures.join(kms.resolveLatest(key));
        }

        now.addAndGet(Duration.ofMillis(1000).toNanos()); // 10 per 10 s: one token per second

        assertThat(KmsFutures.join(kms.resolveLatest(key))).isNotNull();
        assertThatThrownBy(() -> KmsFutures.join(kms.resolveLatest(key))).isInstanceOf(KmsException.class);
    }

    @Test
    void callOverBudget_waitsForItsTurn_whenWithinMaxWait() {
        Kms kms = RateLimitedKms.wrap(inner, new RateLimitedKms.Budget(100, Duration.ofSeconds(1)), scheduler);
        for (int i = 0; i < 100; i++) {
            KmsFutures.join(kms.resolveLatest(key));
        }

        long start = System.nanoTime();
        KmsFutures.join(kms.resolveLatest(key)); // one token per 100 ms

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
        assertThat(inner.calls("resolveLatest")).isEqualTo(101);
    }

    @Test
    void vaultThrottling_pausesTheVaultForRetryAfter() {
        Kms throttling = new Kms() {
            @Override
            public java.util.concurrent.CompletionStage<KeyVersionId> resolveLatest(KeyRef k) {
                return KmsFutures.failed(
                        new KmsException(KeyAccessFailure.THROTTLED, "429", Duration.ofSeconds(5), null));
            }

            @Override
            public java.util.concurrent.CompletionStage<byte[]> wrap(KeyVersionId k, byte[] b) {
                return inner.wrap(k, b);
            }

            @Override
            public java.util.concurrent.CompletionStage<byte[]> unwrap(KeyVersionId k, byte[] b) {
                return inner.unwrap(k, b);
            }

            @Override
            public java.util.concurrent.CompletionStage<KeyDescription> describe(KeyRef k) {
                return inner.describe(k);
            }
        };
        Kms kms = RateLimitedKms.wrap(
                throttling, new RateLimitedKms.Budget(1000, Duration.ofSeconds(1)), scheduler, now::get);
        KeyVersionId version = KmsFutures.join(inner.resolveLatest(key));
        assertThatThrownBy(() -> KmsFutures.join(kms.resolveLatest(key))).isInstanceOf(KmsException.class);

        assertThatThrownBy(() -> KmsFutures.join(kms.wrap(version, new byte[32])))
                .isInstanceOfSatisfying(
                        KmsException.class, e -> assertThat(e.getMessage()).contains("budget"));
        assertThat(inner.calls("wrap")).isZero();

        now.addAndGet(Duration.ofSeconds(5).toNanos());
        assertThat(KmsFutures.join(kms.wrap(version, new byte[32]))).isNotEmpty();
    }

    @Test
    void vaultsHaveSeparateBudgets() {
        InMemoryKms other = new InMemoryKms();
        KeyRef elsewhere = new KeyRef(InMemoryKeyIds.PROVIDER, "other", "k");
        Kms kms = RateLimitedKms.wrap(inner, new RateLimitedKms.Budget(1, Duration.ZERO), scheduler, now::get);
        KmsFutures.join(kms.resolveLatest(key));

        assertThatThrownBy(() -> KmsFutures.join(kms.resolveLatest(elsewhere)))
                .isInstanceOfSatisfying(
                        KmsException.class, e -> assertThat(e.failure()).isEqualTo(KeyAccessFailure.KEY_NOT_FOUND));
        assertThat(other.calls("resolveLatest")).isZero();
    }

    @Test
    void vaultsTrackedAreBounded_busyBudgetsAreKept_idleOnesDropped() {
        Kms kms = RateLimitedKms.wrap(inner, new RateLimitedKms.Budget(1, Duration.ZERO), scheduler, now::get);
        KmsFutures.join(kms.resolveLatest(key)); // this vault's budget is spent for 10 s
        for (int i = 1; i < RateLimitedKms.MAX_VAULTS; i++) {
            KeyRef other = new KeyRef(InMemoryKeyIds.PROVIDER, "v" + i, "k");
            assertThatThrownBy(() -> KmsFutures.join(kms.resolveLatest(other)))
                    .isInstanceOfSatisfying(
                            KmsException.class, e -> assertThat(e.failure()).isEqualTo(KeyAccessFailure.KEY_NOT_FOUND));
        }
        KeyRef oneTooMany = new KeyRef(InMemoryKeyIds.PROVIDER, "late", "k");

        assertThatThrownBy(() -> KmsFutures.join(kms.resolveLatest(oneTooMany)))
                .isInstanceOfSatisfying(
                        KmsException.class, e -> assertThat(e).isInstanceOf(RateLimitedKms.OwnBudgetExhausted.class));
        assertThatThrownBy(() -> KmsFutures.join(kms.resolveLatest(key)))
                .isInstanceOfSatisfying(
                        KmsException.class, e -> assertThat(e.getMessage()).contains("budget"));

        now.addAndGet(Duration.ofSeconds(10).toNanos()); // every bucket is full again: idle
        assertThatThrownBy(() -> KmsFutures.join(kms.resolveLatest(oneTooMany)))
                .isInstanceOfSatisfying(
                        KmsException.class, e -> assertThat(e.failure()).isEqualTo(KeyAccessFailure.KEY_NOT_FOUND));
        assertThat(inner.calls("resolveLatest")).isEqualTo(RateLimitedKms.MAX_VAULTS + 1);
    }
}
