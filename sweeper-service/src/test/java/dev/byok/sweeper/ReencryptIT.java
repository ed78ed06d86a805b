package dev.byok.sweeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.byok.crypto.Dek;
import dev.byok.crypto.DekPolicy;
import dev.byok.crypto.RecordEnvelope;
import dev.byok.kms.KeyUsagePurpose;
import dev.byok.kms.KeyVersionId;
import dev.byok.kms.KmsFutures;
import dev.byok.service.KmsStack;
import dev.byok.store.DekRepository;
import dev.byok.store.DekRepository.StoredDek;
import dev.byok.store.RecordPartitions;
import dev.byok.testsupport.KafkaTestResource;
import dev.byok.testsupport.KeyVaultEmulatorTestResource;
import dev.byok.testsupport.PostgresTestResource;
import dev.byok.testsupport.TenantRows;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Crypto-period re-encryption (default period: 90 days; the DEKs here were created 100 days ago). */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KeyVaultEmulatorTestResource.class)
class ReencryptIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Instant HUNDRED_DAYS_AGO = Instant.now().minus(100, ChronoUnit.DAYS);
    private final String tenant = "re-" + UUID.randomUUID().toString().substring(0, 8);

    @Inject
    Pool pool;

    @Inject
    TenantDatas tenants;

    @Inject
    DekRepository deks;

    @Inject
    KmsStack kmsStack;

    @Inject
    RecordPartitions partitions;

    private TenantData data;

    @BeforeEach
    void setUp() {
        data = tenants.of(tenant);
    }

    @Test
    void recordsPastTheCryptoPeriod_areReencryptedInBatches_theOldDekDestroyed_contentsUnchanged() {
        UUID old = data.write(HUNDRED_DAYS_AGO, 1_200, Optional.empty(), null, false); // more than two batches of 500
        UUID recent = data.write(Instant.now().minus(1, ChronoUnit.DAYS), 3, Optional.empty(), null, false);
        Map<String, String> before = data.readAll(null);

        await().atMost(WAIT).until(() -> data.deks().stream().noneMatch(d -> d.id().equals(old)));

        assertThat(data.readAll(null)).isEqualTo(before);
        List<StoredDek> now = data.deks();
        assertThat(now).hasSize(2).anySatisfy(d -> assertThat(d.id()).isEqualTo(recent));
        StoredDek target =
                now.stream().filter(d -> !d.id().equals(recent)).findFirst().orElseThrow();
        assertThat(target.createdAt()).isAfter(Instant.now().minus(1, ChronoUnit.HOURS));
        assertThat(target.recordsSealed()).isEqualTo(1_200);
    }

    @Test
    void aRowOfAnotherTenantNamingTheOldDek_staysBehind_andDoesNotKeepTheDekAlive() {
        UUID old = data.write(HUNDRED_DAYS_AGO, 3, Optional.empty(), null, false);
        String forger = "re-forger-" + UUID.randomUUID().toString().substring(0, 8);
        pool.preparedQuery(
                        "INSERT INTO activity_record (tenant_id, event_id, dek_id, envelope, occurred_at, ingested_at)"
                                + " SELECT $1, 'forged', dek_id, envelope, occurred_at, ingested_at FROM activity_record"
                                + " WHERE tenant_id = $2 AND dek_id = $3 LIMIT 1")
                .execute(Tuple.of(forger, tenant, old))
                .await()
                .atMost(WAIT);

        await().atMost(WAIT).until(() -> data.deks().stream().noneMatch(d -> d.id().equals(old)));

        assertThat(data.deks())
                .singleElement()
                .satisfies(d -> assertThat(d.recordsSealed()).isEqualTo(3));
        assertThat(TenantRows.count(
                        "SELECT count(*) FROM activity_record WHERE tenant_id = ? AND dek_id = '" + old + "'", forger))
                .as("the forged row is not moved: it reads as corrupted")
                .isEqualTo(1);
    }

    @Test
    void byokTenant_isReencryptedUnderANewDekWrappedWithItsKey() {
        KeyVersionId key = data.enableByok();
        UUID old = data.write(
                HUNDRED_DAYS_AGO,
                10,
                Optional.of(key),
                kmsStack.forTenant(tenant, Optional.empty(), KeyUsagePurpose.NEW_DEK),
                false);
        Map<String, String> before =
                data.readAll(kmsStack.forTenant(tenant, Optional.empty(), KeyUsagePurpose.DEK_LOAD));

        await().atMost(WAIT).until(() -> data.deks().stream().noneMatch(d -> d.id().equals(old)));

        assertThat(data.deks())
                .singleElement()
                .satisfies(d -> assertThat(d.customerKeyId()).contains(key.toString()));
        assertThat(data.readAll(kmsStack.forTenant(tenant, Optional.empty(), KeyUsagePurpose.DEK_LOAD)))
                .isEqualTo(before);
    }

    @Test
    void aDeksRecordsOnSeveralDays_areMovedDayByDay() {
        UUID old = data.write(Instant.now(), 30, Optional.empty(), null, false); // aged once spread over days
        // a third of its records happened two days earlier: they live in that day's partition
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        partitions.ensureRange(today.minusDays(3), today).await().atMost(WAIT);
        int earlier = pool.preparedQuery("UPDATE activity_record SET occurred_at = occurred_at - interval '2 days'"
                        + " WHERE tenant_id = $1 AND dek_id = $2 AND event_id < $3")
                .execute(Tuple.of(tenant, old, old + "-2"))
                .await()
                .atMost(WAIT)
                .rowCount();
        assertThat(earlier).as("records moved to an earlier day").isEqualTo(12); // -0, -1 and -10 … -19
        assertThat(TenantRows.count("SELECT count(DISTINCT tableoid) FROM activity_record WHERE tenant_id = ?", tenant))
                .isEqualTo(2);
        Map<String, String> before = data.readAll(null);
        ageAndExpireLease(old);

        await().atMost(WAIT).until(() -> data.deks().stream().noneMatch(d -> d.id().equals(old)));

        assertThat(data.readAll(null)).isEqualTo(before);
        assertThat(data.deks())
                .singleElement()
                .satisfies(d -> assertThat(d.recordsSealed()).isEqualTo(30));
    }

    @Test
    void aCorruptedRecord_keepsTheOldDek_andTheOthersMove() {
        UUID old = data.write(
                Instant.now(), 20, Optional.empty(), null, false); // aged once tampered (the sweeper is running)
        pool.preparedQuery(
                        "UPDATE activity_record SET envelope = overlay(envelope placing '\\xff'::bytea from 40 for 1)"
                                + " WHERE tenant_id = $1 AND event_id = $2")
                .execute(Tuple.of(tenant, old + "-7"))
                .await()
                .atMost(WAIT);
        ageAndExpireLease(old);

        await().atMost(WAIT).until(() -> corruptedRecorded(old) == 1);

        assertThat(data.deks()).anySatisfy(d -> assertThat(d.id()).isEqualTo(old));
        assertThat(recordsUnder(old)).containsExactly(old + "-7");
        assertThat(TenantRows.records(tenant)).isEqualTo(20);
    }

    @Test
    void aJobInterruptedMidway_isFinishedWithTheSameTarget_withoutTouchingRecordsAlreadyMoved() {
        UUID old = data.write(Instant.now(), 30, Optional.empty(), null, false); // aged once the crash state is staged
        Map<String, String> before = data.readAll(null);
        // the state a sweeper killed mid-job leaves: a target recorded, 10 records moved, its lease run out
        Dek target = Dek.generate(tenant, Instant.now(), DekPolicy.DEFAULT);
        deks.insert(
                        new StoredDek(
                                target.id(),
                                tenant,
                                KmsFutures.join(tenants.hierarchy(tenant, null).wrap(target, Optional.empty())),
                                false,
                                Instant.now(),
                                10),
                        Instant.now())
                .await()
                .atMost(WAIT);
        pool.preparedQuery(
                        "INSERT INTO reencryption (old_dek_id, tenant_id, target_dek_id, started_at) VALUES ($1, $2, $3, now())")
                .execute(Tuple.of(old, tenant, target.id()))
                .await()
                .atMost(WAIT);
        Dek from = KmsFutures.join(tenants.hierarchy(tenant, null)
                .unwrap(
                        old,
                        tenant,
                        Instant.now(),
                        DekPolicy.DEFAULT,
                        30,
                        data.deks().get(0).wrapped()));
        Map<String, byte[]> movedBefore = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            String eventId = old + "-" + i;
            byte[] envelope =
                    RecordEnvelope.seal(target, eventId, RecordEnvelope.open(from, tenant, eventId, envelope(eventId)));
            pool.preparedQuery(
                            "UPDATE activity_record SET dek_id = $3, envelope = $4 WHERE tenant_id = $1 AND event_id = $2")
                    .execute(Tuple.of(tenant, eventId, target.id(), Buffer.buffer(envelope)))
                    .await()
                    .atMost(WAIT);
            movedBefore.put(eventId, envelope);
        }
        ageAndExpireLease(old);

        await().atMost(WAIT).until(() -> data.deks().stream().noneMatch(d -> d.id().equals(old)));

        assertThat(data.deks())
                .singleElement()
                .satisfies(d -> assertThat(d.id()).isEqualTo(target.id()));
        assertThat(data.readAll(null)).isEqualTo(before);
        movedBefore.forEach((eventId, envelope) ->
                assertThat(envelope(eventId)).as("not re-encrypted again").isEqualTo(envelope));
    }

    /** Makes the DEK 100 days old, with the lease of a replica that died: the sweeper may now take it. */
    private void ageAndExpireLease(UUID dek) {
        pool.preparedQuery("UPDATE dek SET created_at = $2, lease_owner = 'killed-replica', "
                        + "lease_until = now() - interval '1 second' WHERE id = $1")
                .execute(Tuple.of(dek, HUNDRED_DAYS_AGO.atOffset(ZoneOffset.UTC)))
                .await()
                .atMost(WAIT);
    }

    private byte[] envelope(String eventId) {
        return pool.preparedQuery("SELECT envelope FROM activity_record WHERE tenant_id = $1 AND event_id = $2")
                .execute(Tuple.of(tenant, eventId))
                .await()
                .atMost(WAIT)
                .iterator()
                .next()
                .getBuffer(0)
                .getBytes();
    }

    private long corruptedRecorded(UUID old) {
        var rows = pool.preparedQuery("SELECT corrupted_records FROM reencryption WHERE old_dek_id = $1")
                .execute(Tuple.of(old))
                .await()
                .atMost(WAIT);
        return rows.iterator().hasNext() ? rows.iterator().next().getLong(0) : 0;
    }

    private List<String> recordsUnder(UUID dek) {
        List<String> out = new java.util.ArrayList<>();
        pool.preparedQuery("SELECT event_id FROM activity_record WHERE dek_id = $1")
                .execute(Tuple.of(dek))
                .await()
                .atMost(WAIT)
                .forEach(r -> out.add(r.getString(0)));
        return out;
    }
}
