package dev.byok.ingest;

import static org.awaitility.Awaitility.await;

import dev.byok.emulator.EmulatorAdminClient;
import dev.byok.kms.KeyVersionId;
import dev.byok.model.ActivityEventParser;
import dev.byok.model.EventCodec;
import dev.byok.model.KeyConfigEvent;
import dev.byok.model.Topics;
import dev.byok.store.KeyConfigs;
import dev.byok.testsupport.JwtTestResource;
import dev.byok.testsupport.KafkaEndpoint;
import dev.byok.testsupport.KafkaTestResource;
import dev.byok.testsupport.KeyVaultEmulatorEndpoint;
import dev.byok.testsupport.KeyVaultEmulatorTestResource;
import dev.byok.testsupport.PostgresTestResource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.ChannelRegistry;
import io.smallrye.reactive.messaging.PausableChannel;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Ingest throughput, encrypted vs a plaintext baseline, through the real broker into the real
 * PostgreSQL. Not a test (its name matches no test pattern): run it with the command in
 * docs/benchmarks.md. It prints events/s for both pipelines, their ratio, Key Vault calls per 10^6
 * events (from the emulator's counters) and the JVM's peak RSS. The baseline sink — the same batches
 * and rows without sealing — exists only here; the product has no plaintext switch.
 */
@QuarkusTest
@TestProfile(IngestThroughputBenchmark.PausedIngest.class)
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KeyVaultEmulatorTestResource.class)
@QuarkusTestResource(JwtTestResource.class)
class IngestThroughputBenchmark {
    private static final int EVENTS = Integer.getInteger("bench.events", 50_000);
    private static final int TENANTS = Integer.getInteger("bench.tenants", 20);

    /** The ingest channel starts paused: each round resumes it once its events are all in the topic. */
    public static class PausedIngest implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "mp.messaging.incoming.ingest.pausable",
                    "true",
                    "mp.messaging.incoming.ingest.pausable.initially-paused",
                    "true");
        }
    }

    @Inject
    Pool pool;

    @Inject
    MeterRegistry meters;

    @Inject
    ChannelRegistry channels;

    @Inject
    KeyConfigs keyConfigs;

    @Test
    void encryptedIngest_vsPlaintextBaseline() throws Exception {
        EmulatorAdminClient admin =
                new EmulatorAdminClient(KeyVaultEmulatorEndpoint.emulator().adminUri());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                KafkaEndpoint.admin(Map.of("linger.ms", 20, "batch.size", 262_144)),
                new StringSerializer(),
                new ByteArraySerializer())) {
            List<String> tenants = tenants(admin, producer);
            // cold: every tenant's first DEK is created (and, for BYOK tenants, customer-wrapped) during the round;
            // it also warms the JIT. steady: the same tenants again, their DEKs current — what a running service does.
            // Each pipeline runs once first and once second in the steady rounds (the database grows as it goes).
            Figures cold = round(admin, producer, tenants, false);
            Figures steadyEncryptedFirst = round(admin, producer, tenants, false);
            Figures steadyBaselineFirst = round(admin, producer, tenants, true);
            System.out.printf(
                    "%nIngest benchmark: %,d events of ~1 KB per round for %d tenants (half BYOK)%n", EVENTS, TENANTS);
            cold.print("cold (first DEK of every tenant)");
            steadyEncryptedFirst.print("steady state, encrypted pipeline first");
            steadyBaselineFirst.print("steady state, baseline first");
            System.out.printf("  peak RSS of this JVM (broker, database client, services, benchmark): %s%n", peakRss());
        }
    }

    private record Figures(double encrypted, double baseline, long kvCalls) {
        void print(String label) {
            System.out.printf(
                    "  %s:%n    encrypted pipeline : %,.0f events/s%n    plaintext baseline : %,.0f events/s%n"
                            + "    encrypted / baseline = %.3f (target >= 0.95)%n    Key Vault "
                            + "calls: %d (%.1f per 10^6 events; target <= 2 in steady state)%n",
                    label, encrypted, baseline, encrypted / baseline, kvCalls, kvCalls * 1e6 / EVENTS);
        }
    }

    /** Fresh tenants, half of them with a customer key enabled (seen by crypto-service before returning). */
    private List<String> tenants(EmulatorAdminClient admin, KafkaProducer<String, byte[]> producer) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        List<String> tenants = new ArrayList<>();
        for (int t = 0; t < TENANTS; t++) {
            String tenant = "bench-" + run + "-" + t;
            tenants.add(tenant);
            if (t % 2 == 0) { // half the tenants bring their own key
                KeyVersionId key =
                        KeyVersionId.parse(admin.createKey(KeyVaultEmulatorEndpoint.VAULT, tenant, "RSA", 2048));
                producer.send(new ProducerRecord<>(
                                Topics.TENANT_KEY_CONFIG,
                                tenant,
                                EventCodec.encode(new KeyConfigEvent.KeyEnabled(
                                        tenant, 1, Instant.now(), key.key().toString(), key.toString()))))
                        .get();
            }
        }
        await().atMost(Duration.ofMinutes(1))
                .until(() -> tenants.stream()
                                .filter(t -> keyConfigs.customerKey(t).isPresent())
                                .count()
                        == (TENANTS + 1) / 2);
        return tenants;
    }

    /**
     * Publishes a round of new events to the ingest topic while the ingest channel is paused, then lets
     * the channel take them and replays the same records through the baseline.
     */
    private Figures round(
            EmulatorAdminClient admin,
            KafkaProducer<String, byte[]> producer,
            List<String> tenants,
            boolean baselineFirst)
            throws Exception {
        String round = UUID.randomUUID().toString().substring(0, 6);
        String padding = "x".repeat(700);
        Map<TopicPartition, Long> start = endOffsetsOfIngest();
        for (int i = 0; i < EVENTS; i++) {
            String tenant = tenants.get(i % TENANTS);
            String json =
                    "{\"schemaVersion\":1,\"tenantId\":\"" + tenant + "\",\"eventId\":\"" + round + "-" + i + "\","
                            + "\"occurredAt\":\"2026-11-28T09:00:00Z\",\"activityType\":\"file.share\",\"actor\":\"user"
                            + i + "@contoso.com\","
                            + "\"attributes\":{\"pad\":\"" + padding + "\"}}";
            producer.send(new ProducerRecord<>(Topics.ACTIVITY_INGEST, tenant, json.getBytes(StandardCharsets.UTF_8)));
        }
        producer.flush();
        admin.resetCounters(KeyVaultEmulatorEndpoint.VAULT);
        long before = stored(tenants);
        double baseline = baselineFirst ? plaintextBaseline(tenants, start) : 0;

        // the channel's own counter: polling the table would load the database being measured
        Counter sealed = meters.get("byok.ingest.stored").counter();
        double sealedBefore = sealed.count();
        PausableChannel ingest = channels.getPausable("ingest");
        long begin = System.nanoTime();
        ingest.resume();
        await().atMost(Duration.ofMinutes(30))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> sealed.count() - sealedBefore >= EVENTS);
        double encrypted = EVENTS / ((System.nanoTime() - begin) / 1e9);
        ingest.pause();
        if (stored(tenants) - before != EVENTS) {
            throw new AssertionError("expected " + EVENTS + " new rows, found " + (stored(tenants) - before));
        }
        long kvCalls = admin.counters(KeyVaultEmulatorEndpoint.VAULT).entrySet().stream()
                .filter(e -> !e.getKey().equals("requests"))
                .mapToLong(Map.Entry::getValue)
                .sum();
        return new Figures(encrypted, baselineFirst ? baseline : plaintextBaseline(tenants, start), kvCalls);
    }

    private static Map<TopicPartition, Long> endOffsetsOfIngest() {
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(KafkaEndpoint.admin(), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.ACTIVITY_INGEST).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            return consumer.endOffsets(partitions);
        }
    }

    /** The same records, validation, batches and rows, without sealing: read from the round's offsets into a plaintext table. */
    private double plaintextBaseline(List<String> tenants, Map<TopicPartition, Long> from) {
        ActivityEventParser parser = new ActivityEventParser(java.time.Clock.systemUTC());
        // the same keys and indexes as activity_record (not the DEK reference: that one is part of encryption's cost)
        pool.query("CREATE TABLE IF NOT EXISTS bench_plain (tenant_id varchar(64), event_id "
                        + "varchar(128), body bytea, occurred_at timestamptz,"
                        + " ingested_at timestamptz, PRIMARY KEY (tenant_id, event_id))")
                .execute()
                .await()
                .indefinitely();
        pool.query("CREATE INDEX IF NOT EXISTS bench_plain_by_time ON bench_plain (tenant_id, occurred_at)")
                .execute()
                .await()
                .indefinitely();
        long start = System.nanoTime();
        long done = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                KafkaEndpoint.admin(Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500)),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(from.keySet());
            from.forEach(consumer::seek);
            while (done < EVENTS) {
                List<Tuple> rows = new ArrayList<>();
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key() != null
                            && tenants.contains(r.key())
                            && parser.parse(r.value())
                                    instanceof ActivityEventParser.Valid valid) { // the same validation as ingest
                        var event = valid.event();
                        rows.add(Tuple.from(new Object[] {
                            event.tenantId(),
                            event.eventId(),
                            Buffer.buffer(EventCodec.encode(event)),
                            event.occurredAt().atOffset(ZoneOffset.UTC),
                            Instant.now().atOffset(ZoneOffset.UTC)
                        }));
                    }
                }
                if (!rows.isEmpty()) {
                    pool.preparedQuery("INSERT INTO bench_plain VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING")
                            .executeBatch(rows)
                            .await()
                            .indefinitely();
                    done += rows.size();
                }
            }
        }
        return EVENTS / ((System.nanoTime() - start) / 1e9);
    }

    private long stored(List<String> tenants) {
        return pool.preparedQuery("SELECT count(*) FROM activity_record WHERE tenant_id = ANY($1)")
                .execute(Tuple.of(tenants.toArray(new String[0])))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong(0);
    }

    private static String peakRss() throws Exception {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("VmHWM"))
                .findFirst()
                .map(l -> l.replaceAll("\\s+", " ").substring(6))
                .orElse("unknown");
    }
}
