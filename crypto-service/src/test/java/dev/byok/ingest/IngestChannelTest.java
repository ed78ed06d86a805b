package dev.byok.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IngestChannelTest {
    @Test
    void backOff_doublesFromHalfASecond_upToThirtySeconds() {
        assertThat(IngestChannel.backOffAfter(1).toMillis()).isEqualTo(500);
        assertThat(IngestChannel.backOffAfter(2).toMillis()).isEqualTo(1_000);
        assertThat(IngestChannel.backOffAfter(4).toMillis()).isEqualTo(4_000);
        assertThat(IngestChannel.backOffAfter(7).toMillis()).isEqualTo(30_000);
        assertThat(IngestChannel.backOffAfter(1_000).toMillis()).isEqualTo(30_000);
    }

    @Test
    void causes_nameEachClassAndSqlState_neverAMessage() {
        Exception failure = new IllegalStateException(
                "the DEK checkpoint did not complete",
                new java.util.concurrent.ExecutionException(
                        new io.vertx.pgclient.PgException("Key (id)=(secret) is stuck", "ERROR", "40P01", null)));

        assertThat(IngestChannel.causes(failure))
                .isEqualTo("IllegalStateException < ExecutionException < PgException 40P01");
    }
}
