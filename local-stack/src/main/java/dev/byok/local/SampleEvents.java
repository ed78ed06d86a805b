package dev.byok.local;

import dev.byok.model.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Activity events as a producer would publish them: JSON, keyed by tenant id, on the ingest topic. */
public final class SampleEvents {
    private static final String[] TYPES = {"file.share", "user.signin", "admin.role-change", "file.download"};

    private SampleEvents() {
    }

    public static ProducerRecord<String, byte[]> event(String tenant, String eventId, long n) {
        String json = "{\"schemaVersion\":1,\"tenantId\":\"" + tenant + "\",\"eventId\":\"" + eventId + "\",\"occurredAt\":\"" + Instant.now()
                + "\",\"activityType\":\"" + TYPES[(int) (n % TYPES.length)] + "\",\"actor\":\"user" + (n % 50) + "@" + tenant + ".example\","
                + "\"attributes\":{\"sequence\":\"" + n + "\"}}";
        return new ProducerRecord<>(Topics.ACTIVITY_INGEST, tenant, json.getBytes(StandardCharsets.UTF_8));
    }
}
