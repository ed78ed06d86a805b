package dev.byok.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.byok.model.Topics;
import dev.byok.testsupport.JwtTestResource;
import dev.byok.testsupport.KafkaEndpoint;
import dev.byok.testsupport.KafkaTestResource;
import dev.byok.testsupport.KeyVaultEmulatorTestResource;
import dev.byok.testsupport.PostgresTestResource;
import dev.byok.testsupport.TenantRows;
import dev.byok.testsupport.TopicClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Records the parser accepts but the store does not: the store is made to refuse some event ids
 * (a CHECK constraint: a data error; a trigger raising a plain exception: a failure that says
 * nothing about the row). Each such record is dead-lettered and every other record of its batch and
 * partition is stored: the partition never stalls.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KeyVaultEmulatorTestResource.class)
@QuarkusTestResource(JwtTestResource.class)
class PoisonRecordsIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int GOOD = 200;

    @Inject
    Pool pool;

    private final String tenant = "poison-" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void storeAcceptsEverythingAgain() {
        sql("ALTER TABLE activity_record DROP CONSTRAINT IF EXISTS test_refused_ids");
        sql("DROP TRIGGER IF EXISTS test_stubborn_ids ON activity_record");
    }

    @Test
    void recordTheStoreRefuses_isDeadLettered_everyOtherRecordOfItsBatchStored() throws Exception {
        sql(
                "ALTER TABLE activity_record ADD CONSTRAINT test_refused_ids CHECK (event_id NOT LIKE 'refused-%') NOT VALID");

        publish("refused-1", "refused-2");

        await().atMost(WAIT).until(() -> TenantRows.records(tenant) == GOOD);
        List<ConsumerRecord<String, byte[]>> dead = deadLetters(2);
        assertThat(dead).allSatisfy(r -> {
            assertThat(header(r, Topics.DLQ_HEADER_RULES)).isEqualTo("unstorable");
            assertThat(header(r, Topics.DLQ_HEADER_REASON))
                    .isEqualTo("the record store refused this record (SQLSTATE 23514)");
        });
        assertThat(dead)
                .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .anySatisfy(v -> assertThat(v).contains("\"refused-1\""))
                .anySatisfy(v -> assertThat(v).contains("\"refused-2\""));
    }

    @Test
    void recordThatKeepsFailingAlone_isDeadLetteredAfterRetries_whileTheStoreTakesTheOthers() throws Exception {
        sql("CREATE OR REPLACE FUNCTION test_stubborn() RETURNS trigger AS $$ BEGIN"
                + " IF NEW.event_id LIKE 'stubborn-%' THEN RAISE EXCEPTION 'stubborn'; END "
                + "IF; RETURN NEW; END $$ LANGUAGE plpgsql");
        sql(
                "CREATE TRIGGER test_stubborn_ids BEFORE INSERT ON activity_record FOR EACH ROW EXECUTE FUNCTION test_stubborn()");

        publish("stubborn-1");

        await().atMost(WAIT).until(() -> TenantRows.records(tenant) == GOOD);
        assertThat(deadLetters(1))
                .singleElement()
                .satisfies(r -> assertThat(header(r, Topics.DLQ_HEADER_REASON))
                        .isEqualTo("the record store kept failing this record while storing others (SQLSTATE P0001)"));
    }

    /** {@value #GOOD} good events of the tenant, with the given poison events among them, on one partition. */
    private void publish(String... poison) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                KafkaEndpoint.admin(Map.of("linger.ms", 50)), new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < GOOD; i++) {
                if (i % (GOOD / poison.length) == GOOD / (2 * poison.length)) {
                    producer.send(event(poison[i / (GOOD / poison.length)]));
                }
                producer.send(event("good-" + i));
            }
            producer.flush();
        }
    }

    private ProducerRecord<String, byte[]> event(String eventId) {
        return new ProducerRecord<>(
                Topics.ACTIVITY_INGEST,
                tenant,
                ("{\"schemaVersion\":1,\"tenantId\":\"" + tenant + "\",\"eventId\":\"" + eventId
                                + "\",\"occurredAt\":\"" + Instant.now().minusSeconds(60)
                                + "\",\"activityType\":\"file.share\",\"actor\":\"a@b\"}")
                        .getBytes(StandardCharsets.UTF_8));
    }

    private List<ConsumerRecord<String, byte[]>> deadLetters(int n) {
        return TopicClient.recordsUntil(Topics.ACTIVITY_INGEST_DLQ, tenant, found -> found.size() >= n, WAIT);
    }

    private void sql(String statement) {
        pool.query(statement).execute().await().atMost(WAIT);
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
