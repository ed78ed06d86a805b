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
import dev.byok.testsupport.KafkaTestResource;
import dev.byok.testsupport.KeyVaultEmulatorEndpoint;
import dev.byok.testsupport.KeyVaultEmulatorTestResource;
import dev.byok.testsupport.PostgresTestResource;
import dev.byok.testsupport.TenantRows;
import dev.byok.testsupport.TopicClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The sweeper's Key Vault budget use. Not a test (its name matches no test pattern): run it with the
 * command in docs/benchmarks.md. With the emulator enforcing Azure's RSA-2048 limit (4,000 operations
 * per 10 s per vault), it measures the move, roll and migrate rates against the configured budget
 * ({@code -Dbench.budget}, operations per 10 s) and counts 429s. Re-encryption's rate is
 * {@link ReencryptionThroughputBenchmark}'s.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KeyVaultEmulatorTestResource.class)
@TestProfile(SweeperThroughputBenchmark.Budget.class)
class SweeperThroughputBenchmark {
    private static final int BUDGET = Integer.getInteger("bench.budget", 300);
    private static final int DEKS = Integer.getInteger("bench.deks", 900);
    private static final String VAULT = KeyVaultEmulatorEndpoint.VAULT;

    /** This replica's Key Vault budget, as an operator would set it. */
    public static class Budget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("byok.keyvault.budget.ops-per-10s", Integer.toString(BUDGET));
        }
    }

    @Inject
    TenantDatas tenants;

    @Inject
    KmsStack kmsStack;

    private final EmulatorAdminClient admin =
            new EmulatorAdminClient(KeyVaultEmulatorEndpoint.emulator().adminUri());

    @Test
    void keyVaultRate_vsBudget() throws Exception {
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
}
