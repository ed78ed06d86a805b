package dev.byok.sweeper;

import static org.awaitility.Awaitility.await;

import dev.byok.crypto.WrappedDek;
import dev.byok.emulator.EmulatorAdminClient;
import dev.byok.emulator.Faults;
import dev.byok.kms.KeyUsagePurpose;
import dev.byok.kms.KeyVersionId;
import dev.byok.kms.Kms;
import dev.byok.model.KeyConfigEvent;
import dev.byok.model.Topics;
import dev.byok.service.KmsStack;
import dev.byok.store.RecordPartitions;
import dev.byok.store.RecordRetention;
import dev.byok.testsupport.KafkaTestResource;
import dev.byok.testsupport.KeyVaultEmulatorEndpoint;
import dev.byok.testsupport.KeyVaultEmulatorTestResource;
import dev.byok.testsupport.MachineInfo;
import dev.byok.testsupport.PostgresTestResource;
import dev.byok.testsupport.Samples;
import dev.byok.testsupport.TenantRows;
import dev.byok.testsupport.TopicClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
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
import java.util.function.Supplier;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import org.junit.jupiter.api.Test;

/**
 * Sweeper throughput. Not a test (its name matches no test pattern): run it with the command in
 * docs/benchmarks.md. With the emulator enforcing Azure's RSA-2048 limit (4,000 operations per 10 s
 * per vault), it measures the move and roll rates against the configured budget
 * ({@code -Dbench.budget}, operations per 10 s) and counts 429s; then the crypto-period
 * re-encryption rate next to a raw PostgreSQL rewrite of as many rows and raw AES-GCM decrypt + encrypt
 * of as many records in the same JVM, in rounds ({@link #reencryption_vsRawRewrite_andRawAesGcm}).
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KeyVaultEmulatorTestResource.class)
@TestProfile(SweeperThroughputBenchmark.Budget.class)
class SweeperThroughputBenchmark {
    private static final int BUDGET = Integer.getInteger("bench.budget", 300);
    private static final int DEKS = Integer.getInteger("bench.deks", 900);
    private static final int RECORDS = Integer.getInteger("bench.records", 20_000);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
    private static final String VAULT = KeyVaultEmulatorEndpoint.VAULT;

    /** This replica's Key Vault budget, as an operator would set it. */
    public static class Budget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides =
                    new java.util.HashMap<>(Map.of("byok.keyvault.budget.ops-per-10s", Integer.toString(BUDGET)));
            String batch = System.getProperty("bench.reencrypt-batch");
            if (batch != null) { // try another batch size without changing the product's
                overrides.put("byok.sweeper.reencrypt-batch-size", batch);
            }
            return overrides;
        }
    }

    @Inject
    Pool pool;

    @Inject
    TenantDatas tenants;

    @Inject
    KmsStack kmsStack;

    @Inject
    RecordPartitions partitions;

    @Inject
    RecordRetention retention;

    private final EmulatorAdminClient admin =
            new EmulatorAdminClient(KeyVaultEmulatorEndpoint.emulator().adminUri());

    @Test
    void keyVaultRate_vsBudget_andReencryption_vsRawAesGcm() throws Exception {
        admin.setFaults(VAULT, Faults.budget(4_000)); // Azure RSA-2048 per vault
        String tenant = "bench-" + UUID.randomUUID().toString().substring(0, 6);
        TenantData data = tenants.of(tenant);
        for (int i = 0; i < DEKS; i++) {
            data.write(Instant.now().minus(i + 1, ChronoUnit.MINUTES), 1, Optional.empty(), null, false);
        }
        admin.resetCounters(VAULT);

        KeyVersionId first = KeyVersionId.parse(admin.createKey(VAULT, tenant, "RSA", 2048));
        TopicClient.publish(
                Topics.TENANT_KEY_CONFIG,
                tenant,
                new KeyConfigEvent.KeyEnabled(
                        tenant, 1, Instant.now(), first.key().toString(), first.toString()));
        // each DEK written before enable is temporary: its record moves to a DEK born under the key (one wrap)
        Rate move = measure(
                DEKS,
                () -> data.deks().size() == DEKS
                        && TenantRows.count(
                                        "SELECT count(*) FROM dek WHERE tenant_id = ? AND NOT born_protected", tenant)
                                == 0);

        KeyVersionId second = KeyVersionId.parse(admin.rotate(VAULT, tenant));
        TopicClient.publish(
                Topics.TENANT_KEY_CONFIG,
                tenant,
                new KeyConfigEvent.KeyVersionRolled(
                        tenant, 2, Instant.now(), first.key().toString(), first.toString(), second.toString()));
        Rate roll = measure(
                2L * DEKS,
                () -> data.deks().stream().allMatch(d -> d.customerKeyId().equals(Optional.of(second.toString()))));
        long throttled = admin.counters(VAULT).getOrDefault("throttled", 0L);

        Rate migrateCustomer = migrateCustomerWrapped();
        double migrateManaged = migrateManagedOnly();
        double budgetPerSecond = BUDGET / 10.0;
        System.out.printf(
                "%nSweeper benchmark: budget %d operations per 10 s (%.1f/s); emulator enforcing 4,000 per 10 s%n",
                BUDGET, budgetPerSecond);
        System.out.printf(
                "  move    %,d DEKs (1 call each): %.1f calls/s steady = %.2f of budget (%.1f s in all)%n",
                DEKS, move.steadyPerSecond(), move.steadyPerSecond() / budgetPerSecond, move.seconds());
        System.out.printf(
                "  roll    %,d DEKs (2 calls each): %.1f calls/s steady = %.2f of budget (%.1f s in all)%n",
                DEKS, roll.steadyPerSecond(), roll.steadyPerSecond() / budgetPerSecond, roll.seconds());
        System.out.printf(
                "  migrate %,d keyring DEKs under a customer key (2 calls each): %.1f calls/s steady = %.2f of budget"
                        + " (%.1f s in all)%n",
                DEKS,
                migrateCustomer.steadyPerSecond(),
                migrateCustomer.steadyPerSecond() / budgetPerSecond,
                migrateCustomer.seconds());
        System.out.printf(
                "  migrate %,d managed-only keyring DEKs (no call once the tenant key is open): %,.0f DEKs/s%n",
                DEKS, migrateManaged);
        System.out.printf("  429 responses from the vault: %d (target 0)%n", throttled);
    }

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
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(dek, UUID.randomUUID(), data.tenant()))
                .await()
                .indefinitely()
                .rowCount();
        double rate = rows / ((System.nanoTime() - start) / 1e9);
        if (rows != RECORDS) {
            throw new AssertionError("rewrote " + rows + " rows, expected " + RECORDS);
        }
        return rate;
    }

    /**
     * Calls per second once the token bucket is empty — cumulative calls have reached 95 % of what
     * it can ever allow (its capacity, one 10 s budget, plus its refill so far) — up to 90 % of the
     * expected calls. A sweeper slower than the budget never reaches that line; its window then
     * starts at 25 % of the calls, and it shows as a fraction below 1.
     */
    private record Rate(double steadyPerSecond, double seconds) {}

    private Rate measure(long expectedCalls, Supplier<Boolean> done) {
        List<long[]> samples = new ArrayList<>(); // {nanos, calls}
        long start = System.nanoTime();
        await().atMost(Duration.ofMinutes(30))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    Map<String, Long> c = admin.counters(VAULT);
                    samples.add(new long[] {
                        System.nanoTime(), c.getOrDefault("wrapkey", 0L) + c.getOrDefault("unwrapkey", 0L)
                    });
                    return done.get();
                });
        double seconds = (System.nanoTime() - start) / 1e9;
        long base = samples.get(0)[1];
        long t0 = samples.get(0)[0];
        long[] from = samples.stream()
                .filter(s -> s[1] - base >= 0.95 * (BUDGET + BUDGET / 10.0 * (s[0] - t0) / 1e9))
                .findFirst()
                .orElseGet(() -> samples.stream()
                        .filter(s -> s[1] - base >= expectedCalls / 4)
                        .findFirst()
                        .orElseThrow());
        long[] to = samples.stream()
                .filter(s -> s[1] - base >= expectedCalls * 9 / 10)
                .findFirst()
                .orElseThrow();
        admin.resetCounters(VAULT);
        return new Rate((to[1] - from[1]) / ((to[0] - from[0]) / 1e9), seconds);
    }

    /**
     * Format-1 DEKs under a customer key, written while the tenant's configuration is unreadable (so
     * the sweeper leaves them alone), then released by a readable one: calls per second of the move.
     */
    private Rate migrateCustomerWrapped() {
        String tenant = "bench-mig-" + UUID.randomUUID().toString().substring(0, 6);
        TenantData data = tenants.of(tenant);
        KeyVersionId key = KeyVersionId.parse(admin.createKey(VAULT, tenant, "RSA", 2048));
        hold(tenant, key.key().toString());
        Kms kms = kmsStack.forTenant(tenant, Optional.empty(), KeyUsagePurpose.DEK_LOAD);
        for (int i = 0; i < DEKS; i++) {
            data.writeUnderKeyring(Instant.now().minus(i + 1, ChronoUnit.MINUTES), 1, Optional.of(key), kms, false);
        }
        admin.resetCounters(VAULT);
        TopicClient.publish(
                Topics.TENANT_KEY_CONFIG,
                tenant,
                new KeyConfigEvent.KeyEnabled(
                        tenant, 2, Instant.now(), key.key().toString(), key.toString()));
        return measure(2L * DEKS, () -> underTenantKey(data));
    }

    /** Format-1 managed-only DEKs, held back the same way: DEKs per second from release to the last one moved. */
    private double migrateManagedOnly() {
        String tenant = "bench-migm-" + UUID.randomUUID().toString().substring(0, 6);
        TenantData data = tenants.of(tenant);
        String keyUri = KeyVaultEmulatorEndpoint.emulator().vaultUri(VAULT) + "/keys/" + tenant;
        hold(tenant, keyUri);
        for (int i = 0; i < DEKS; i++) {
            data.writeUnderKeyring(Instant.now().minus(i + 1, ChronoUnit.MINUTES), 1, Optional.empty(), null, false);
        }
        long start = System.nanoTime();
        TopicClient.publish(
                Topics.TENANT_KEY_CONFIG,
                tenant,
                new KeyConfigEvent.KeyDisabled(tenant, 2, Instant.now(), keyUri, null));
        await().atMost(Duration.ofMinutes(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> underTenantKey(data));
        return DEKS / ((System.nanoTime() - start) / 1e9);
    }

    /** An unreadable configuration (BYOK on, a version id that does not parse): the sweeper leaves the tenant alone. */
    private static void hold(String tenant, String keyUri) {
        TopicClient.publish(
                Topics.TENANT_KEY_CONFIG,
                tenant,
                new KeyConfigEvent.KeyEnabled(tenant, 1, Instant.now(), keyUri, "not-a-key-version"));
    }

    private static boolean underTenantKey(TenantData data) {
        return data.deks().size() == DEKS
                && data.deks().stream().allMatch(d -> d.wrapped().format() == WrappedDek.Format.TENANT_KEY);
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
        pool.preparedQuery(statement)
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(dek))
                .await()
                .indefinitely();
    }

    private long under(UUID dek) {
        return pool.preparedQuery("SELECT count(*) FROM activity_record WHERE dek_id = $1")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(dek))
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
