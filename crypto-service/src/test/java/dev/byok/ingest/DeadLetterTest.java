package dev.byok.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.byok.model.Topics;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class DeadLetterTest {
    @Test
    void smallRecord_keepsItsKeyAndBytes_andPointsAtItsSource() {
        ProducerRecord<String, byte[]> out =
                DeadLetter.of(source("contoso", new byte[] {1, 2, 3}), "json", "$: not JSON");

        assertThat(out.topic()).isEqualTo(Topics.ACTIVITY_INGEST_DLQ);
        assertThat(out.key()).isEqualTo("contoso");
        assertThat(out.value()).containsExactly(1, 2, 3);
        assertThat(header(out, Topics.DLQ_HEADER_RULES)).isEqualTo("json");
        assertThat(header(out, Topics.DLQ_HEADER_REASON)).isEqualTo("$: not JSON");
        assertThat(header(out, Topics.DLQ_HEADER_SOURCE_PARTITION)).isEqualTo("3");
        assertThat(header(out, Topics.DLQ_HEADER_SOURCE_OFFSET)).isEqualTo("42");
        assertThat(out.headers().lastHeader(Topics.DLQ_HEADER_ORIGINAL_VALUE_SHA256))
                .isNull();
    }

    @Test
    void recordNearOneMebibyte_isDeadLetteredAsDigestAndPointer_withoutItsBytes() throws Exception {
        byte[] huge = new byte[1024 * 1024 - 100];
        huge[7] = 9;

        ProducerRecord<String, byte[]> out = DeadLetter.of(source("contoso", huge), "size", "$: too large");

        assertThat(out.value()).isNull();
        assertThat(out.key()).isEqualTo("contoso");
        assertThat(header(out, Topics.DLQ_HEADER_ORIGINAL_VALUE_BYTES)).isEqualTo(String.valueOf(huge.length));
        assertThat(header(out, Topics.DLQ_HEADER_ORIGINAL_VALUE_SHA256))
                .isEqualTo(HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(huge)));
        assertThat(header(out, Topics.DLQ_HEADER_SOURCE_OFFSET)).isEqualTo("42");
    }

    @Test
    void hugeKey_isLeftOut_andItsLengthKept() {
        String key = "k".repeat(100_000);

        ProducerRecord<String, byte[]> out = DeadLetter.of(source(key, new byte[] {1}), "key", "$: key");

        assertThat(out.key()).isNull();
        assertThat(out.value()).containsExactly(1);
        assertThat(header(out, Topics.DLQ_HEADER_ORIGINAL_KEY_BYTES)).isEqualTo("100000");
    }

    @Test
    void hugeReason_isCutToItsBound_onACharacterBoundary() {
        String reason = "é".repeat(10_000);

        ProducerRecord<String, byte[]> out = DeadLetter.of(source("contoso", new byte[] {1}), "unknown-field", reason);

        byte[] header = out.headers().lastHeader(Topics.DLQ_HEADER_REASON).value();
        assertThat(header.length).isLessThanOrEqualTo(DeadLetter.MAX_REASON_BYTES);
        assertThat(new String(header, StandardCharsets.UTF_8)).endsWith("é...").doesNotContain("\uFFFD");
    }

    private static ConsumerRecord<String, byte[]> source(String key, byte[] value) {
        return new ConsumerRecord<>(Topics.ACTIVITY_INGEST, 3, 42, key, value);
    }

    private static String header(ProducerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
