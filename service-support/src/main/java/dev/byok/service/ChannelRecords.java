package dev.byok.service;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Sends one keyed record on an outgoing Kafka channel and tells when the broker has it: the stage
 * completes when the record is acknowledged ({@code acks=all} on every channel) and fails with the
 * producer's error when it is not. The one way the services publish.
 */
public final class ChannelRecords {
    private ChannelRecords() {}

    /** To the channel's own topic. */
    public static CompletionStage<Void> send(Emitter<byte[]> channel, String key, byte[] value) {
        return send(channel, null, key, value);
    }

    /** To {@code topic} (null: the channel's own topic). */
    public static CompletionStage<Void> send(Emitter<byte[]> channel, String topic, String key, byte[] value) {
        return send(channel, metadata(topic, key), value);
    }

    /** The record's topic, key, value and headers (its partition and timestamp are the producer's to choose). */
    public static CompletionStage<Void> send(Emitter<byte[]> channel, ProducerRecord<String, byte[]> record) {
        return send(channel, metadata(record.topic(), record.key()).withHeaders(record.headers()), record.value());
    }

    private static OutgoingKafkaRecordMetadata.OutgoingKafkaRecordMetadataBuilder<String> metadata(
            String topic, String key) {
        OutgoingKafkaRecordMetadata.OutgoingKafkaRecordMetadataBuilder<String> metadata =
                OutgoingKafkaRecordMetadata.<String>builder().withKey(key);
        return topic == null ? metadata : metadata.withTopic(topic);
    }

    private static CompletionStage<Void> send(
            Emitter<byte[]> channel,
            OutgoingKafkaRecordMetadata.OutgoingKafkaRecordMetadataBuilder<String> metadata,
            byte[] value) {
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        Message<byte[]> message = Message.of(value)
                .addMetadata(metadata.build())
                .withAck(() -> {
                    acknowledged.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(error -> {
                    acknowledged.completeExceptionally(error);
                    return CompletableFuture.completedFuture(null);
                });
        try {
            channel.send(message);
        } catch (RuntimeException e) { // the channel refused it at once (buffer full, channel failed)
            acknowledged.completeExceptionally(e);
        }
        return acknowledged;
    }
}
