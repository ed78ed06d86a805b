package dev.byok.ingest;

import dev.byok.model.ActivityEventParser;
import dev.byok.model.TenantId;
import dev.byok.model.Topics;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The dead-letter record of one rejected ingest record, always small enough to send: the original
 * key and bytes when they fit the event limit, otherwise their lengths and the value's SHA-256 with
 * the pointer (topic, partition, offset) to the original. The reason header is cut at
 * {@value #MAX_REASON_BYTES} bytes whatever produced it.
 */
final class DeadLetter {
    static final int MAX_VALUE_BYTES = ActivityEventParser.MAX_EVENT_BYTES;
    static final int MAX_KEY_BYTES = 4 * TenantId.MAX_LENGTH;
    static final int MAX_REASON_BYTES = 4096;
    private static final int MAX_RULES_BYTES = 256;

    private DeadLetter() {}

    static ProducerRecord<String, byte[]> of(ConsumerRecord<String, byte[]> record, String rules, String reason) {
        byte[] key = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
        boolean keepKey = key == null || key.length <= MAX_KEY_BYTES;
        boolean keepValue = record.value() == null || record.value().length <= MAX_VALUE_BYTES;
        ProducerRecord<String, byte[]> out = new ProducerRecord<>(
                Topics.ACTIVITY_INGEST_DLQ, keepKey ? record.key() : null, keepValue ? record.value() : null);
        header(out, Topics.DLQ_HEADER_RULES, cut(rules, MAX_RULES_BYTES));
        header(out, Topics.DLQ_HEADER_REASON, cut(reason, MAX_REASON_BYTES));
        header(out, Topics.DLQ_HEADER_SOURCE_TOPIC, record.topic());
        header(out, Topics.DLQ_HEADER_SOURCE_PARTITION, Integer.toString(record.partition()));
        header(out, Topics.DLQ_HEADER_SOURCE_OFFSET, Long.toString(record.offset()));
        if (!keepKey) {
            header(out, Topics.DLQ_HEADER_ORIGINAL_KEY_BYTES, Integer.toString(key.length));
        }
        if (!keepValue) {
            header(out, Topics.DLQ_HEADER_ORIGINAL_VALUE_BYTES, Integer.toString(record.value().length));
            header(out, Topics.DLQ_HEADER_ORIGINAL_VALUE_SHA256, HexFormat.of().formatHex(sha256(record.value())));
        }
        return out;
    }

    /** At most {@code max} bytes of UTF-8, cut on a character boundary. */
    static String cut(String text, int max) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= max) {
            return text;
        }
        int end = max - 3;
        while (end > 0 && (utf8[end] & 0xC0) == 0x80) { // not inside a multi-byte character
            end--;
        }
        return new String(utf8, 0, end, StandardCharsets.UTF_8) + "...";
    }

    private static void header(ProducerRecord<String, byte[]> out, String name, String value) {
        out.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
