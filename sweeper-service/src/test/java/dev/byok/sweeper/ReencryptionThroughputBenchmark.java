package dev.byok.sweeper;

import static org.awaitility.Awaitility.await;

import dev.byok.store.RecordPartitions;
import dev.byok.store.RecordRetention;
import dev.byok.testsupport.KafkaTestResource;
import dev.byok.testsupport.KeyVaultEmulatorTestResource;
import dev.byok.testsupport.MachineInfo;
import dev.byok.testsupport.PostgresTestResource;
import dev.byok.testsupport.Samples;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import org.junit.jupiter.api.Test;

/**
 * Crypto-period re-encryption's rate next to what the storage and the cipher allow, in rounds. Not a
 * test (its name matches no test pattern): run it with the command in docs/benchmarks.md.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KeyVaultEmulatorTestResource.class)
@TestProfile(ReencryptionThroughputBenchmark.Batch.class)
class ReencryptionThroughputBenchmark {
    private static final int RECORDS = Integer.getInteger("bench.records", 20_000);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 5);

    /** The product's re-encryption batch, unless {@code -Dbench.reencrypt-batch} tries another. */
    public static class Batch implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String batch = System.getProperty("bench.reencrypt-batch");
            return batch == null ? Map.of() : Map.of("byok.sweeper.reencrypt-batch-size", batch);
        }
    }

    @Inject
    Pool pool;

    @Inject
    TenantDatas tenants;

    @Inject
    RecordPartitions partitions;

    @Inject
    RecordRetention retention;

    /**
     * Each round, in alternating order: an aged DEK's records re-encrypted by the sweeper, the same
     * number of rows rewritten by PostgreSQL alone (one server-side UPDATE that gives them another DEK
     * id: no round trips, no cryptography — what the storage allows), raw AES-GCM decrypt + encrypt of
     * as many records in memory, and an outage's temporary DEK moved to one born under the key.
     */
    @Test
    void reencryption_vsRawRewrite_andRawAesGcm() throws Exception {
        Samples reencrypt = new Samples("re-encryption by the sweeper", "records/s");
        Samples rewrite = new Samples("raw PostgreSQL rewrite of as many rows", "rows/s");
        Samples raw = new Samples("raw AES-GCM decrypt + encrypt in memory", "records/s");
        Samples temporaryMove = new Samples("move of a temporary DEK", "records/s");
        rawAesGcmRate(); // JIT warm-up
        int partitionCount = productionPartitions();
        System.out.printf(
                "%nRe-encryption benchmark: %,d records of ~1 KB per DEK, %d rounds, %d day partitions%n  %s%n",
                RECORDS, ROUNDS, partitionCount, MachineInfo.describe());
        for (int round = 0; round < ROUNDS; round++) {
            boolean sweeperFirst = round % 2 == 0;
            double rewritten = sweeperFirst ? 0 : rawRewriteRate();
            double reencrypted = reencryptionRate();
            rewritten = sweeperFirst ? rawRewriteRate() : rewritten;
            double moved = temporaryMoveRate();
            double aesGcm = rawAesGcmRate();
            System.out.printf(
                    "  round %d (%s): re-encryption %,.0f, raw rewrite %,.0f (%.3f), AES-GCM %,.0f (%.3f), temporary move %,.0f%n",
                    round,
                    sweeperFirst ? "sweeper first" : "rewrite first",
                    reencrypted,
                    rewritten,
                    reencrypted / rewritten,
                    aesGcm,
                    reencrypted / aesGcm,
                    moved);
            reencrypt.add(reencrypted);
            rewrite.add(rewritten);
            raw.add(aesGcm);
            temporaryMove.add(moved);
        }
        for (Samples s : List.of(reencrypt, rewrite, raw, temporaryMove)) {
            System.out.println("    " + s.line());
        }
        System.out.println(
                "    " + reencrypt.over(rewrite, "re-encryption / raw rewrite").line());
        System.out.println(
                "    " + reencrypt.over(raw, "re-encryption / raw AES-GCM").line());
    }

    /**
     * The day partitions a production database holds: the retention window (default 180 days) and the
     * days created ahead. Statements that are not bounded to a day plan every one of them.
     */
    private int productionPartitions() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        partitions
                .ensureRange(
                        today.minusDays(retention.retention().toDays() + 1),
                        today.plusDays(retention.partitionsAhead()))
                .await()
                .indefinitely();
        return partitions.list().await().indefinitely().size();
    }

    /** Rows of a DEK as ingest writes them, given another DEK id by one UPDATE that PostgreSQL runs alone. */
    private double rawRewriteRate() {
        TenantData data = tenants.of("bench-rw-" + UUID.randomUUID().toString().substring(0, 6));
        UUID dek = data.write(Instant.now(), RECORDS, Optional.empty(), null, false, 1024);
        long start = System.nanoTime();
        long rows = pool.preparedQuery("UPDATE activity_record SET dek_id = $2, envelope = envelope || ''::bytea"
                        + " WHERE dek_id = $1 AND tenant_id = $3")
                .execute(Tuple.of(dek, UUID.randomUUID(), data.tenant()))
                .await()
                .indefinitely()
                .rowCount();
        double rate = rows / ((System.nanoTime() - start) / 1e9);
        if (rows != RECORDS) {
            throw new AssertionError("rewrote " + rows + " rows, expected " + RECORDS);
        }
        return rate;
    }

    /** An aged DEK (past its crypto-period) re-encrypted to a new one. */
    private double reencryptionRate() {
        TenantData data = tenants.of("bench-re-" + UUID.randomUUID().toString().substring(0, 6));
        UUID old = data.write(Instant.now(), RECORDS, Optional.empty(), null, false, 1024);
        sql("UPDATE dek SET created_at = now() - interval '100 days' WHERE id = $1", old);
        return moveRate(data, old);
    }

    /** An outage's temporary DEK of a BYOK tenant (stored managed-only, sealing no more) moved to one born under the key. */
    private double temporaryMoveRate() {
        TenantData data = tenants.of("bench-mv-" + UUID.randomUUID().toString().substring(0, 6));
        data.enableByok();
        UUID old = data.write(Instant.now().minus(1, ChronoUnit.HOURS), RECORDS, Optional.empty(), null, true, 1024);
        sql("UPDATE dek SET seal_until = now() - interval '10 minutes' WHERE id = $1", old);
        return moveRate(data, old);
    }

    /** Records per second, from the first moved batch (not from the wait for the next sweep) to the old DEK's destruction. */
    private double moveRate(TenantData data, UUID old) {
        await().atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> under(old) < RECORDS);
        long remaining = under(old);
        long start = System.nanoTime();
        await().atMost(Duration.ofMinutes(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> data.deks().stream().noneMatch(d -> d.id().equals(old)));
        return remaining / ((System.nanoTime() - start) / 1e9);
    }

    private void sql(String statement, UUID dek) {
        pool.preparedQuery(statement).execute(Tuple.of(dek)).await().indefinitely();
    }

    private long under(UUID dek) {
        return pool.preparedQuery("SELECT count(*) FROM activity_record WHERE dek_id = $1")
                .execute(Tuple.of(dek))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong(0);
    }

    /** The same number of ~1 KB records opened and sealed again with plain AES-256-GCM, in memory. */
    private static double rawAesGcmRate() throws Exception {
        SecureRandom random = new SecureRandom();
        KeyGenerator generator = KeyGenerator.getInstance("AES");
        generator.init(256);
        SecretKey from = generator.generateKey();
        SecretKey to = generator.generateKey();
        List<byte[]> sealed = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            byte[] nonce = new byte[12];
            random.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, from, new GCMParameterSpec(128, nonce));
            byte[] ciphertext = c.doFinal(TenantData.body("e-" + i, 1024));
            sealed.add(ByteBuffer.allocate(12 + ciphertext.length)
                    .put(nonce)
                    .put(ciphertext)
                    .array());
        }
        long start = System.nanoTime();
        for (byte[] record : sealed) {
            Cipher open = Cipher.getInstance("AES/GCM/NoPadding");
            open.init(Cipher.DECRYPT_MODE, from, new GCMParameterSpec(128, record, 0, 12));
            byte[] plaintext = open.doFinal(record, 12, record.length - 12);
            byte[] nonce = new byte[12];
            random.nextBytes(nonce);
            Cipher seal = Cipher.getInstance("AES/GCM/NoPadding");
            seal.init(Cipher.ENCRYPT_MODE, to, new GCMParameterSpec(128, nonce));
            seal.doFinal(plaintext);
        }
        return RECORDS / ((System.nanoTime() - start) / 1e9);
    }
}
