package dev.byok.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class BackgroundWorkTest {
    private final BackgroundWork background = new BackgroundWork();

    @Test
    void drain_waitsForWorkStillRunning() {
        CompletableFuture<String> wrap = new CompletableFuture<>();
        AtomicBoolean stored = new AtomicBoolean();
        background.start(Uni.createFrom().completionStage(wrap).invoke(() -> stored.set(true)));
        assertThat(background.running()).isEqualTo(1);

        CompletableFuture.delayedExecutor(200, java.util.concurrent.TimeUnit.MILLISECONDS)
                .execute(() -> wrap.complete("wrapped"));
        int left = background.drain(Duration.ofSeconds(10));

        assertThat(left).isZero();
        assertThat(stored).isTrue();
    }

    @Test
    void drain_givesUpAfterItsBound_andNamesWhatIsLeft() {
        background.start(Uni.createFrom().completionStage(new CompletableFuture<>()));

        assertThat(background.drain(Duration.ofMillis(50))).isEqualTo(1);
    }

    @Test
    void failedWork_isNoLongerTracked() {
        background.start(Uni.createFrom().failure(new IllegalStateException("vault down")));

        assertThat(background.running()).isZero();
        assertThat(background.drain(Duration.ofMillis(50))).isZero();
    }
}
