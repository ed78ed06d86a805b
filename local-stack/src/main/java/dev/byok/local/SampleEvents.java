package dev.byok.local;

import dev.byok.model.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Activity events as a producer would publish them: JSON, keyed by tenant id, on the ingest topic. */
public final class SampleEvents {
    private static final String[] TYPES = {"file.share", "user.signin", "admin.role-change", "file.download"};

    private SampleEvents() {}

    public static ProducerRecord<String, byte[]> event(String tenant, String eventId, long n) {
        String json = "{\"schemaVersion\":1,\"tenantId\":\"" + tenant + "\",\"eventId\":\"" + eventId
                + "\",\"occurredAt\":\"" + Instant.now()
                + "\",\"activityType\":\"" + TYPES[(int) (n % TYPES.length)] + "\",\"actor\":\"user" + (n % 50) + "@"
                + tenant + ".example\","
                + "\"attributes\":{\"sequence\":\"" + n + "\"}}";
        return new ProducerRecord<>(Topics.ACTIVITY_INGEST, tenant, json.getBytes(StandardCharsets.UTF_8));
    }

    /** An event near the size limit (about 245 KiB): 60 attributes of 4,096 characters each. */
    public static ProducerRecord<String, byte[]> large(String tenant, String eventId, long n) {
        StringBuilder attributes = new StringBuilder();
        String value = Long.toString(n, 36).repeat(4096).substring(0, 4096);
        for (int i = 0; i < 60; i++) {
            attributes
                    .append(i == 0 ? "" : ",")
                    .append("\"a")
                    .append(i)
                    .append("\":\"")
                    .append(value)
                    .append('"');
        }
        String json = "{\"schemaVersion\":1,\"tenantId\":\"" + tenant + "\",\"eventId\":\"" + eventId
                + "\",\"occurredAt\":\"" + Instant.now()
                + "\",\"activityType\":\"file.download\",\"actor\":\"user" + (n % 50) + "@" + tenant + ".example\","
                + "\"attributes\":{" + attributes + "}}";
        return new ProducerRecord<>(Topics.ACTIVITY_INGEST, tenant, json.getBytes(StandardCharsets.UTF_8));
    }
}
