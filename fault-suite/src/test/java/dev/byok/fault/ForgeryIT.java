package dev.byok.fault;

import static dev.byok.fault.Suite.LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.byok.emulator.EmulatorAdminClient;
import dev.byok.kms.KeyAccessFailure;
import dev.byok.kms.KeyOperation;
import dev.byok.kms.KeyVersionId;
import dev.byok.local.RunningStack;
import dev.byok.model.EventCodec;
import dev.byok.model.KafkaAccess;
import dev.byok.model.KeyAccessEvent;
import dev.byok.model.KeyConfigEvent;
import dev.byok.model.LockStatus;
import dev.byok.model.TenantLockState;
import dev.byok.model.Topics;
import dev.byok.testsupport.ForgedEvents;
import dev.byok.testsupport.LockStateRecorder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The producer principal — what every event producer holds — tries each forgery of the control
 * plane: write key-config (offboard a victim), lock-state (unlock a locked tenant), key-access
 * (report a verified success), the audit topic; join crypto-service's and lockdown-service's
 * consumer groups; read the other topics. The broker refuses each with an authorization error,
 * and afterwards lock states, DEKs and records are exactly as before.
 */
@Order(6)
@ExtendWith(Suite.Resolver.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ForgeryIT {
    private static final Duration SETTLE = Duration.ofSeconds(5);

    /** One forgery: what it tries, and the call that tries it. */
    private record Attempt(String name, Callable<?> call) {}

    private final Suite suite;

    ForgeryIT(Suite suite) {
        this.suite = suite;
    }

    @Test
    void producerPrincipal_isRefusedEveryForgery_andNothingChanges() throws Exception {
        String locked = "forgery-locked-" + suite.run;
        String victim = "forgery-victim-" + suite.run;
        lock(locked);
        suite.protectedTenant(victim, victim + "-key", 2);
        int lockedFrom = suite.lockStates.of(locked).size() - 1;
        int victimFrom = Math.max(0, suite.lockStates.of(victim).size() - 1);
        Snapshot before = snapshot(locked, victim, lockedFrom, victimFrom);
        assertThat(before.lockedStatuses()).containsExactly(LockStatus.LOCKED);

        List<Attempt> attempts = List.of(
                write(
                        "write key-config: TENANT_OFFBOARDED of a victim",
                        Topics.TENANT_KEY_CONFIG,
                        victim,
                        new KeyConfigEvent.TenantOffboarded(victim, 99, Instant.now(), "forger")),
                write(
                        "write lock-state: HEALTHY for a LOCKED tenant",
                        Topics.TENANT_LOCK_STATE,
                        locked,
                        TenantLockState.healthy(locked, Instant.now(), "forged")),
                write("write lock-state: tombstone of a LOCKED tenant", Topics.TENANT_LOCK_STATE, locked, null),
                write(
                        "write key-access: verified success for a LOCKED tenant",
                        Topics.KEY_ACCESS,
                        locked,
                        ForgedEvents.verifiedSuccess(locked, "https://vault/keys/k/1")),
                write(
                        "write key-access: a failure that would degrade a victim",
                        Topics.KEY_ACCESS,
                        victim,
                        new KeyAccessEvent.Failed(
                                victim,
                                "https://vault/keys/k/1",
                                KeyOperation.WRAP,
                                "crypto-service",
                                Instant.now(),
                                KeyAccessFailure.KEY_DISABLED,
                                "forged")),
                write("write the audit topic", Topics.AUDIT_KEY_USAGE, victim, "{}".getBytes()),
                write("write the dead-letter topic", Topics.ACTIVITY_INGEST_DLQ, victim, "{}".getBytes()),
                join(
                        "join crypto-service's consumer group (take ingest partitions)",
                        KafkaAccess.CRYPTO_SERVICE,
                        Topics.ACTIVITY_INGEST),
                join(
                        "join lockdown-service's consumer group (take tenants)",
                        KafkaAccess.LOCKDOWN_SERVICE,
                        Topics.KEY_ACCESS),
                read("read lock-state", Topics.TENANT_LOCK_STATE),
                read("read key-config", Topics.TENANT_KEY_CONFIG),
                read("read key-access", Topics.KEY_ACCESS),
                read("read the audit topic", Topics.AUDIT_KEY_USAGE),
                read("read the dead-letter topic", Topics.ACTIVITY_INGEST_DLQ),
                read("read other producers' activity events", Topics.ACTIVITY_INGEST));

        List<String> outcomes = new ArrayList<>();
        for (Attempt attempt : attempts) {
            Throwable refusal = refusal(attempt);
            assertThat(refusal).as(attempt.name()).isInstanceOf(AuthorizationException.class);
            outcomes.add(attempt.name() + ": " + refusal.getClass().getSimpleName());
        }
        await().during(SETTLE)
                .atMost(SETTLE.plusSeconds(10))
                .until(() -> snapshot(locked, victim, lockedFrom, victimFrom).equals(before));

        suite.results.add(
                ("The producer principal tries %d forgeries of the control plane (write key-config, "
                                + "lock-state, key-access, audit, DLQ; join the services' consumer groups; read their topics)")
                        .formatted(attempts.size()),
                "every attempt refused by the broker with an authorization error; lock states, DEKs and records unchanged",
                ("%d of %d refused (%s); the LOCKED tenant published nothing but LOCKED, the "
                                + "victim's settings (%s), %d DEKs and %d records unchanged")
                        .formatted(
                                outcomes.size(),
                                attempts.size(),
                                distinctErrors(outcomes),
                                before.victimEncryption(),
                                before.victimDeks(),
                                before.victimRecords()));
    }

    /** A BYOK tenant whose key is disabled, awaited until LOCKED. */
    private void lock(String tenant) throws Exception {
        String key = tenant + "-key";
        EmulatorAdminClient vault = suite.vaultAdmin();
        String version = KeyVersionId.parse(vault.createKey(RunningStack.VAULT, key, "RSA", 2048))
                .version();
        suite.enable(tenant, key);
        vault.updateVersion(RunningStack.VAULT, key, version, Map.of("enabled", false));
        suite.lockStates.awaitAfter(tenant, -1, LockStateRecorder.is(LockStatus.LOCKED), LONG);
    }

    /** What a forgery would change: the lock statuses published since {@code from}, the victim's DEKs, records and settings. */
    private record Snapshot(
            List<LockStatus> lockedStatuses,
            List<LockStatus> victimStatuses,
            long victimDeks,
            long victimRecords,
            String victimEncryption) {}

    private Snapshot snapshot(String locked, String victim, int lockedFrom, int victimFrom) throws Exception {
        return new Snapshot(
                statusesSince(locked, lockedFrom),
                statusesSince(victim, victimFrom),
                suite.count("SELECT count(*) FROM dek WHERE tenant_id = ?", victim),
                suite.stored(victim),
                suite.status(victim).path("mode").asText() + " "
                        + suite.status(victim).path("revision").asLong());
    }

    /** The distinct statuses published for the tenant from index {@code from} on (probe updates repeat a status). */
    private List<LockStatus> statusesSince(String tenant, int from) {
        List<TenantLockState> all = suite.lockStates.of(tenant);
        return all.subList(Math.max(0, from), all.size()).stream()
                .map(TenantLockState::status)
                .distinct()
                .toList();
    }

    private Attempt write(String name, String topic, String tenant, Object value) {
        byte[] bytes = value == null ? null : value instanceof byte[] raw ? raw : EventCodec.encode(value);
        return new Attempt(name, () -> {
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                    producerPrincipal(Map.of(
                            ProducerConfig.MAX_BLOCK_MS_CONFIG,
                            15_000,
                            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                            15_000,
                            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                            10_000)),
                    new StringSerializer(),
                    new ByteArraySerializer())) {
                return producer.send(new ProducerRecord<>(topic, tenant, bytes)).get(30, TimeUnit.SECONDS);
            }
        });
    }

    private Attempt join(String name, String group, String topic) {
        return new Attempt(name, () -> {
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                    producerPrincipal(Map.of(ConsumerConfig.GROUP_ID_CONFIG, group)),
                    new StringDeserializer(),
                    new ByteArrayDeserializer())) {
                consumer.subscribe(List.of(topic));
                return consumer.poll(Duration.ofSeconds(15));
            }
        });
    }

    private Attempt read(String name, String topic) {
        return new Attempt(name, () -> {
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                    producerPrincipal(Map.of()), new StringDeserializer(), new ByteArrayDeserializer())) {
                List<TopicPartition> partition = List.of(new TopicPartition(topic, 0));
                consumer.assign(partition);
                consumer.seekToBeginning(partition);
                return consumer.poll(Duration.ofSeconds(15));
            }
        });
    }

    private Map<String, Object> producerPrincipal(Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>(suite.stack.kafkaClient(KafkaAccess.PRODUCER));
        props.putAll(extra);
        return props;
    }

    /** What the broker answered the attempt with; null if it was allowed. */
    private static Throwable refusal(Attempt attempt) {
        try {
            attempt.call().call();
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            return e;
        }
    }

    private static String distinctErrors(List<String> outcomes) {
        return String.join(
                ", ",
                outcomes.stream()
                        .map(o -> o.substring(o.lastIndexOf(": ") + 2))
                        .distinct()
                        .sorted()
                        .toList());
    }
}
