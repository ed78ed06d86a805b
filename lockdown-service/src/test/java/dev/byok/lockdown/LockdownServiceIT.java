package dev.byok.lockdown;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.byok.emulator.EmulatorAdminClient;
import dev.byok.kms.KeyAccessFailure;
import dev.byok.kms.KeyOperation;
import dev.byok.kms.KeyUsagePurpose;
import dev.byok.kms.KeyVersionId;
import dev.byok.model.EventCodec;
import dev.byok.model.KeyAccessEvent;
import dev.byok.model.KeyConfigEvent;
import dev.byok.model.KeyUsageAudit;
import dev.byok.model.Topics;
import dev.byok.testsupport.KafkaEndpoint;
import dev.byok.testsupport.KafkaTestResource;
import dev.byok.testsupport.KeyVaultEmulatorEndpoint;
import dev.byok.testsupport.KeyVaultEmulatorTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The packaged service: engine, gate, REST snapshot, metrics and audit, on real Kafka and the emulator (grace 3 s). */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(KeyVaultEmulatorTestResource.class)
class LockdownServiceIT {
    private final EmulatorAdminClient admin =
            new EmulatorAdminClient(KeyVaultEmulatorEndpoint.emulator().adminUri());

    @Test
    void disabledKey_locksTheTenant_visibleInSnapshotMetricsAndAudit() throws Exception {
        String tenant = "svc-" + UUID.randomUUID().toString().substring(0, 8);
        KeyVersionId key = KeyVersionId.parse(admin.createKey(KeyVaultEmulatorEndpoint.VAULT, tenant, "RSA", 2048));
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(KafkaEndpoint.admin(), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(
                            Topics.TENANT_KEY_CONFIG,
                            tenant,
                            EventCodec.encode(new KeyConfigEvent.KeyEnabled(
                                    tenant, 1, Instant.now(), key.key().toString(), key.toString()))))
                    .get();
            admin.updateVersion(KeyVaultEmulatorEndpoint.VAULT, tenant, key.version(), Map.of("enabled", false));
            producer.send(new ProducerRecord<>(
                            Topics.KEY_ACCESS,
                            tenant,
                            EventCodec.encode(new KeyAccessEvent.Failed(
                                    tenant,
                                    key.toString(),
                                    KeyOperation.WRAP,
                                    "crypto-service",
                                    Instant.now(),
                                    KeyAccessFailure.KEY_DISABLED,
                                    "disabled"))))
                    .get();
        }

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().get("/api/v1/lock-states")
                        .then()
                        .statusCode(200)
                        .body("find { it.tenantId == '" + tenant + "' }.status", equalTo("LOCKED"))
                        .body("find { it.tenantId == '" + tenant + "' }.failure", equalTo("KEY_DISABLED")));
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'lockdown' }.status", equalTo("UP"));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(given().get("/q/metrics")
                                .then()
                                .statusCode(200)
                                .extract()
                                .asString())
                        .contains("byok_lockdown_tenants{status=\"LOCKED\"}")
                        .contains("byok_lockdown_transitions_total")
                        .contains("byok_lockdown_probe_seconds_count{outcome=\"KEY_DISABLED\"}")); // a probe of
        // the DEGRADED
        // tenant
        assertThat(probeAudits(tenant)).isNotEmpty().allSatisfy(a -> {
            assertThat(a.purpose()).isEqualTo(KeyUsagePurpose.PROBE);
            assertThat(a.source()).isEqualTo("lockdown-service");
        });

        admin.updateVersion(KeyVaultEmulatorEndpoint.VAULT, tenant, key.version(), Map.of("enabled", true));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().get("/api/v1/lock-states")
                        .then()
                        .body("find { it.tenantId == '" + tenant + "' }.status", equalTo("HEALTHY")));
    }

    private static List<KeyUsageAudit> probeAudits(String tenant) {
        List<KeyUsageAudit> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                KafkaEndpoint.admin(Map.of(
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "audit-reader-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest")),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.AUDIT_KEY_USAGE));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (tenant.equals(r.key())) {
                        found.add(EventCodec.decode(r.value(), KeyUsageAudit.class));
                    }
                });
                return !found.isEmpty();
            });
        }
        return found;
    }
}
