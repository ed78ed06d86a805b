package dev.byok.fault;

import static dev.byok.fault.Suite.LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.byok.emulator.EmulatorAdminClient;
import dev.byok.infra.EmbeddedKafkaBroker;
import dev.byok.kms.KeyVersionId;
import dev.byok.local.RunningStack;
import dev.byok.local.SampleEvents;
import dev.byok.model.LockStatus;
import dev.byok.model.TenantLockState;
import dev.byok.model.Topics;
import dev.byok.testsupport.TopicClient;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/** Malformed events on the ingest topic, and stored rows altered in the database: all caught, nothing returned as data. */
@Order(2)
@ExtendWith(Suite.Resolver.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputIT {
    private static final int MALFORMED_PER_CLASS = 1_000;
    private static final int TAMPERED = 10_000;
    private static final int DEKS_PER_TENANT = 20;

    private final Suite suite;

    BadInputIT(Suite suite) {
        this.suite = suite;
    }

    @Test
    @Order(1)
    void malformedEvents_allDeadLettered_goodOnesAroundThemAllStored() throws Exception {
        String tenant = "bad-" + suite.run;
        List<byte[]> bad = MalformedEvents.generate(tenant, MALFORMED_PER_CLASS, new Random(42));
        try (KafkaProducer<String, byte[]> producer = suite.producer()) {
            for (int i = 0; i < bad.size(); i++) {
                producer.send(SampleEvents.event(tenant, tenant + "-" + i, i)); // a good event, then a bad one
                producer.send(new ProducerRecord<>(Topics.ACTIVITY_INGEST, tenant, bad.get(i)));
            }
        }
        await().atMost(LONG).until(() -> suite.stored(tenant) == bad.size());
        List<Map<String, String>> dead = deadLetters(tenant, bad.size());

        assertThat(dead).hasSize(bad.size()).allSatisfy(h -> {
            assertThat(h.get(Topics.DLQ_HEADER_RULES)).isNotBlank();
            assertThat(h.get(Topics.DLQ_HEADER_REASON)).isNotBlank();
        });
        long rules = dead.stream()
                .map(h -> h.get(Topics.DLQ_HEADER_RULES))
                .distinct()
                .count();
        suite.results.add(
                ("%,d malformed events (%d classes: broken JSON, binary junk, empty, wrong types, "
                                + "missing fields, huge fields, bad tenant ids, key mismatch, "
                                + "unknown fields, bad schema version) interleaved with %,d good ones")
                        .formatted(bad.size(), MalformedEvents.CLASSES, bad.size()),
                "all dead-lettered with reasons; every good event stored",
                "%,d in the DLQ with rules and reason (%d distinct rule sets); %,d of %,d good stored"
                        .formatted(dead.size(), rules, suite.stored(tenant), bad.size()));
    }

    @Test
    @Order(2)
    void tamperedRecords_areAllReportedCorrupted_noneReturnedAsData() throws Exception {
        String tenant = "tamper-" + suite.run;
        String donor = "donor-" + suite.run;
        int donorsInTenant = 100;
        suite.produce(tenant, TAMPERED + donorsInTenant).get(10, TimeUnit.MINUTES);
        suite.produce(donor, 100).get(10, TimeUnit.MINUTES);
        await().atMost(LONG)
                .until(() -> suite.stored(tenant) == TAMPERED + donorsInTenant && suite.stored(donor) == 100);

        int mutated = Tampering.mutate(suite.stack.dataJdbcUrl(), tenant, donor, TAMPERED);
        Suite.ReadBack read = suite.readBack(tenant);

        assertThat(mutated).isEqualTo(TAMPERED);
        assertThat(read.corrupted()).isEqualTo(TAMPERED);
        assertThat(read.eventIds())
                .hasSize(donorsInTenant)
                .allSatisfy(id -> assertThat(Tampering.isTampered(id, TAMPERED)).isFalse());
        suite.results.add(
                ("%,d stored records mutated (%d kinds: ciphertext, nonce, tag, version, DEK id and "
                                + "length bytes, truncated, extended, moved between records, moved from another tenant)")
                        .formatted(TAMPERED, Tampering.KINDS),
                "every one detected; none returned as data",
                "%,d reported corrupted; 0 returned; the %d untouched records read normally"
                        .formatted(read.corrupted(), donorsInTenant));
    }

    /** One way of altering a DEK row, applied to the {@code i}-th DEK of its kind. */
    private interface Alteration {
        void apply(int i) throws SQLException;
    }

    @Test
    @Order(3)
    void tamperedDeks_everyRecordUnderThemCorrupted_noTenantLocked() throws Exception {
        String managed = "dekm-" + suite.run;
        String donor = "dekd-" + suite.run;
        String byok = "dekb-" + suite.run;
        String otherByok = "dekx-" + suite.run;
        EmulatorAdminClient vault = suite.vaultAdmin();
        String key = "dek-key-" + suite.run;
        String oldVersion = KeyVersionId.parse(vault.createKey(RunningStack.VAULT, key, "RSA", 2048))
                .version();
        vault.rotate(RunningStack.VAULT, key); // BYOK wraps with the newer version; the older one is valid but wrong
        suite.enable(byok, key);
        suite.enable(otherByok, key);
        int events = DEKS_PER_TENANT * Suite.DEK_MAX_RECORDS;
        for (String tenant : List.of(managed, donor, byok, otherByok)) {
            suite.produce(tenant, events).get(5, TimeUnit.MINUTES);
        }
        await().atMost(LONG)
                .ignoreExceptions()
                .until(() -> suite.stored(managed) == events
                        && suite.stored(donor) == events
                        && suite.stored(byok) == events
                        && suite.stored(otherByok) == events
                        && suite.fullyProtected(byok)
                        && suite.fullyProtected(otherByok));
        int locksBefore = suite.lockStates.of(byok).size();

        long expectedManaged;
        long expectedByok;
        long repointed;
        Map<String, Alteration> alterations = new LinkedHashMap<>();
        try (DekTampering t = new DekTampering(suite.stack.dataJdbcUrl())) {
            List<UUID> m = t.deks(managed);
            List<UUID> d = t.deks(donor);
            List<UUID> b = t.deks(byok);
            List<UUID> x = t.deks(otherByok);
            alterations.put("managed-layer nonce", i -> t.flip(m.get(i), 8));
            alterations.put("wrapped key bytes", i -> t.flip(m.get(2 + i), 30));
            alterations.put("managed-layer tag", i -> t.flip(m.get(4 + i), -1));
            alterations.put("managed keyring version", i -> t.setManagedVersion(m.get(6 + i), 7));
            alterations.put("swapped with another DEK of the tenant", i -> t.copyWrapped(m.get(16 + i), m.get(8 + i)));
            alterations.put("moved from another tenant", i -> t.copyWrapped(d.get(i), m.get(10 + i)));
            alterations.put("DEK row handed to another tenant", i -> t.setTenant(m.get(12 + i), donor));
            alterations.put("customer-layer RSA blob", i -> t.flip(b.get(i), -1));
            alterations.put(
                    "customer key version id (another valid version)",
                    i -> t.setCustomerKeyVersion(b.get(2 + i), oldVersion));
            alterations.put(
                    "customer-wrapped DEK moved from another tenant", i -> t.copyWrapped(x.get(i), b.get(4 + i)));
            alterations.put(
                    "customer-wrapped DEK swapped within the tenant", i -> t.copyWrapped(b.get(10 + i), b.get(6 + i)));
            repointed = t.recordsUnder(List.of(m.get(14)));
            expectedManaged = t.recordsUnder(m.subList(0, 14)) + repointed;
            expectedByok = t.recordsUnder(b.subList(0, 8));
            for (Alteration alteration : alterations.values()) {
                alteration.apply(0);
                alteration.apply(1);
            }
            t.repointRecords(m.get(14), m.get(15));
        }
        Suite.ReadBack readManaged = suite.readBack(managed);
        Suite.ReadBack readByok = suite.readBack(byok);

        assertThat(readManaged.corrupted()).isEqualTo(expectedManaged);
        assertThat(readManaged.eventIds()).hasSize((int) (events - expectedManaged));
        assertThat(readByok.corrupted()).isEqualTo(expectedByok);
        assertThat(readByok.eventIds()).hasSize((int) (events - expectedByok));
        List<TenantLockState> locks = suite.lockStates.of(byok);
        assertThat(locks.subList(locksBefore, locks.size()))
                .as("altered data must never degrade or lock a tenant")
                .allMatch(s -> s.status() == LockStatus.HEALTHY);
        suite.results.add(
                "%d stored DEKs altered (%d kinds: %s) and the %d records of another DEK pointed at a different DEK"
                        .formatted(
                                2 * alterations.size(),
                                alterations.size(),
                                String.join(", ", alterations.keySet()),
                                repointed),
                "every record under an altered DEK reported corrupted; none returned; no tenant degraded",
                ("%,d + %,d records reported corrupted (managed tenant, BYOK tenant); the other %,d "
                                + "+ %,d read normally; lock state unchanged")
                        .formatted(
                                expectedManaged,
                                expectedByok,
                                readManaged.eventIds().size(),
                                readByok.eventIds().size()));
    }

    private List<Map<String, String>> deadLetters(String tenant, int expected) {
        List<Map<String, String>> found = new ArrayList<>();
        TopicClient.recordsUntil(
                        suite.stack.kafkaClient(EmbeddedKafkaBroker.ADMIN),
                        Topics.ACTIVITY_INGEST_DLQ,
                        tenant,
                        records -> records.size() >= expected,
                        LONG)
                .forEach(r -> {
                    Map<String, String> headers = new HashMap<>();
                    r.headers().forEach(h -> headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
                    found.add(headers);
                });
        return found;
    }
}
