package dev.byok.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.byok.kms.KeyAccessFailure;
import dev.byok.model.EventCodec;
import dev.byok.model.LockStatus;
import dev.byok.model.TenantLockState;
import dev.byok.testsupport.KafkaEndpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TenantGateIT {
    private static final KafkaClientConfig ADMIN = KafkaClientConfig.of(KafkaEndpoint.admin());
    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
    private final String topic = "lock-state-" + UUID.randomUUID();
    private KafkaProducer<String, byte[]> producer;
    private TenantGate gate;

    @BeforeEach
    void setUp() throws Exception {
        try (Admin admin = Admin.create(KafkaEndpoint.admin())) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1).configs(Map.of("cleanup.policy", "compact"))))
                    .all()
                    .get();
        }
        producer = ADMIN.producer(Map.of(ProducerConfig.ACKS_CONFIG, "all"));
    }

    @AfterEach
    void tearDown() {
        if (gate != null) {
            gate.close();
        }
        producer.close();
    }

    @Test
    void gateStartedAfterTheTransitions_knowsTheCurrentStateBeforeItIsReady() throws Exception {
        for (int round = 0; round < 5; round++) {
            for (int t = 0; t < 10; t++) {
                publish(degraded("tenant-" + t, round));
            }
        }
        publish(locked("tenant-3"));
        publish(TenantLockState.healthy("tenant-4", T0.plusSeconds(60), "key verified again"));
        producer.send(new ProducerRecord<>(topic, "tenant-9", null)).get();

        gate = TenantGate.start(ADMIN, topic);
        await().atMost(Duration.ofSeconds(30)).until(gate::caughtUp);

        assertThat(gate.state("tenant-3")).map(TenantLockState::status).contains(LockStatus.LOCKED);
        assertThat(gate.readAccess("tenant-3"))
                .isEqualTo(new TenantGate.Refused("tenant locked: the key (or its latest version) is disabled", true));
        assertThat(gate.state("tenant-4")).map(TenantLockState::status).contains(LockStatus.HEALTHY);
        assertThat(gate.state("tenant-1")).map(TenantLockState::status).contains(LockStatus.DEGRADED);
        assertThat(gate.readAccess("tenant-1")).isEqualTo(new TenantGate.Allowed());
        assertThat(gate.state("tenant-9")).isEmpty();
        assertThat(gate.readAccess("never-seen")).isEqualTo(new TenantGate.Allowed());
    }

    @Test
    void gateNotCaughtUp_refusesReads_asNotReady() {
        gate = TenantGate.start(
                ADMIN.with("bootstrap.servers", "localhost:1"), topic); // no broker there: it can never catch up

        assertThat(gate.caughtUp()).isFalse();
        assertThat(gate.readAccess("tenant-1")).isInstanceOfSatisfying(TenantGate.Refused.class, r -> {
            assertThat(r.locked()).isFalse();
            assertThat(r.reason()).contains("still loading");
        });
    }

    @Test
    void listeners_hearTransitionsPublishedAfterStart_andMalformedRecordsAreSkipped() throws Exception {
        gate = TenantGate.start(ADMIN, topic);
        await().atMost(Duration.ofSeconds(30)).until(gate::caughtUp);
        List<TenantLockState> heard = new CopyOnWriteArrayList<>();
        gate.addListener(heard::add);

        producer.send(new ProducerRecord<>(topic, "tenant-x", "{not json".getBytes()))
                .get();
        publish(locked("tenant-x"));

        await().atMost(Duration.ofSeconds(30)).until(() -> !heard.isEmpty());
        assertThat(heard).singleElement().satisfies(s -> assertThat(s.status()).isEqualTo(LockStatus.LOCKED));
        assertThat(gate.readAccess("tenant-x")).isInstanceOf(TenantGate.Refused.class);
    }

    private void publish(TenantLockState state) throws Exception {
        producer.send(new ProducerRecord<>(topic, state.tenantId(), EventCodec.encode(state)))
                .get();
    }

    private static TenantLockState degraded(String tenant, int round) {
        return new TenantLockState(
                tenant,
                LockStatus.DEGRADED,
                Optional.of(KeyAccessFailure.KEY_DISABLED),
                "the key (or its latest version) is disabled",
                T0.plusSeconds(round),
                Optional.of(T0.plusSeconds(3600)),
                Optional.empty());
    }

    private static TenantLockState locked(String tenant) {
        return TenantLockState.locked(
                tenant,
                KeyAccessFailure.KEY_DISABLED,
                "the key (or its latest version) is disabled",
                T0.plusSeconds(3600));
    }
}
