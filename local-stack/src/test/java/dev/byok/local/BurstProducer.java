package dev.byok.local;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The end-to-end benchmark's producer, run in its own JVM: publishes {@code events} ~1 KB activity
 * events for {@code tenants} tenants as fast as the broker takes them (acks=all, the producer
 * principal's client file), then prints when its first send started and how long all took.
 * Arguments: client-file tenant-prefix run-id tenants events.
 */
public final class BurstProducer {
    private BurstProducer() {}

    public static void main(String[] args) {
        Map<String, Object> client = new HashMap<>(KafkaClientFile.read(Path.of(args[0])));
        String tenantPrefix = args[1];
        String run = args[2];
        int tenants = Integer.parseInt(args[3]);
        int events = Integer.parseInt(args[4]);
        client.put("acks", "all");
        client.put("linger.ms", 20);
        client.put("batch.size", 262_144);
        String padding = "x".repeat(700);
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(client, new StringSerializer(), new ByteArraySerializer())) {
            long firstSend = System.currentTimeMillis();
            long start = System.nanoTime();
            String occurredAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
            for (int i = 0; i < events; i++) {
                String tenant = tenantPrefix + "-" + (i % tenants);
                String json = "{\"schemaVersion\":1,\"tenantId\":\"" + tenant + "\",\"eventId\":\"" + run + "-" + i
                        + "\",\"occurredAt\":\"" + occurredAt + "\",\"activityType\":\"file.share\","
                        + "\"actor\":\"user" + i + "@contoso.com\",\"attributes\":{\"pad\":\"" + padding + "\"}}";
                producer.send(new ProducerRecord<>(
                        dev.byok.model.Topics.ACTIVITY_INGEST, tenant, json.getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
            System.out.printf("first-send-ms=%d produced=%d nanos=%d%n", firstSend, events, System.nanoTime() - start);
        }
    }
}
