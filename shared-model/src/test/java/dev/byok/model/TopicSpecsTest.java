package dev.byok.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopicSpecsTest {
    @Test
    void topicsHoldingEventPlaintext_rollSegmentsWellWithinTheirRetention() {
        List<TopicSpecs.Spec> plaintext = TopicSpecs.all(6).stream()
                .filter(s -> s.name().equals(Topics.ACTIVITY_INGEST) || s.name().equals(Topics.ACTIVITY_INGEST_DLQ))
                .toList();

        assertThat(plaintext).hasSize(2).allSatisfy(spec -> {
            long retention = Long.parseLong(spec.config().get("retention.ms"));
            long segment = Long.parseLong(spec.config().get("segment.ms"));
            // Kafka deletes whole segments: a record lives at most retention + one segment
            assertThat(segment).as(spec.name()).isEqualTo(TopicSpecs.PLAINTEXT_SEGMENT.toMillis());
            assertThat(segment).as(spec.name()).isLessThanOrEqualTo(retention / 24);
        });
        assertThat(Long.parseLong(plaintext.get(0).config().get("retention.ms")))
                .isEqualTo(Duration.ofHours(48).toMillis());
    }
}
