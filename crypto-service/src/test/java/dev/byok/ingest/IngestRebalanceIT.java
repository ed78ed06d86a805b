package dev.byok.ingest;

import dev.byok.model.KafkaAccess;
import dev.byok.kafka.KafkaClientConfig;
import dev.byok.store.RecordRepository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.byok.model.Topics;
import dev.byok.testsupport.JwtTestResource;
import dev.byok.testsupport.KafkaEndpoint;
import dev.byok.testsupport.KafkaTestResource;
import dev.byok.testsupport.KeyVaultEmulatorTestResource;
import dev.byok.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Two ingest instances in one consumer group, joining and leaving mid-stream: every event stored exactly once. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KeyVaultEmulatorTestResource.class)
@QuarkusTestResource(JwtTestResource.class)
class IngestRebalanceIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int PER_PHASE = 1000;

    @Inject
    Pool pool;
    @Inject
    DekManager deks;
    @Inject
    RecordRepository records;

    @Test
    void secondInstanceJoinsAndLeaves_nothingLostNothingDuplicated() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        List<String> tenants = new ArrayList<>();
        for (int t = 0; t < 10; t++) {
            tenants.add("rb-" + run + "-" + t);
        }
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaEndpoint.admin(),
                new StringSerializer(), new ByteArraySerializer())) {
            send(producer, tenants, 0);
            IngestLoop second = new IngestLoop(KafkaClientConfig.of(KafkaEndpoint.clientProperties(KafkaAccess.CRYPTO_SERVICE)), "crypto-service", deks, records, IngestMetrics.NONE).start();
            try {
                await().atMost(WAIT).until(() -> second.assignedPartitions() > 0); // the group has rebalanced
                send(producer, tenants, 1);
                await().atMost(WAIT).until(() -> second.stored() > 0);
            } finally {
                second.close(); // leaves the group: its partitions move back
            }
            send(producer, tenants, 2);
            assertThat(second.stored()).as("the second instance took part").isPositive();
        }

        await().atMost(WAIT).until(() -> stored(tenants) >= 3L * PER_PHASE);
        assertThat(stored(tenants)).isEqualTo(3L * PER_PHASE);
        assertThat(distinctStored(tenants)).isEqualTo(3L * PER_PHASE);
    }

    private static void send(KafkaProducer<String, byte[]> producer, List<String> tenants, int phase) throws Exception {
        for (int i = 0; i < PER_PHASE; i++) {
            String tenant = tenants.get(i % tenants.size());
            String json = "{\"schemaVersion\":1,\"tenantId\":\"" + tenant + "\",\"eventId\":\"p" + phase + "-" + i + "\",\"occurredAt\":\""
                    + Instant.parse("2026-11-28T09:00:00Z") + "\",\"activityType\":\"signin.success\",\"actor\":\"u" + i + "\"}";
            producer.send(new ProducerRecord<>(Topics.ACTIVITY_INGEST, tenant, json.getBytes(StandardCharsets.UTF_8)));
        }
        producer.flush();
    }

    private long stored(List<String> tenants) {
        return pool.preparedQuery("SELECT count(*) FROM activity_record WHERE tenant_id = ANY($1)")
                .execute(Tuple.of(tenants.toArray(new String[0]))).await().atMost(WAIT).iterator().next().getLong(0);
    }

    private long distinctStored(List<String> tenants) {
        return pool.preparedQuery("SELECT count(DISTINCT (tenant_id, event_id)) FROM activity_record WHERE tenant_id = ANY($1)")
                .execute(Tuple.of(tenants.toArray(new String[0]))).await().atMost(WAIT).iterator().next().getLong(0);
    }
}
