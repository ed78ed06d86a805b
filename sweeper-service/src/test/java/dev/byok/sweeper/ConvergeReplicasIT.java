package dev.byok.sweeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.byok.emulator.EmulatorAdminClient;
import dev.byok.kms.KeyVersionId;
import dev.byok.service.KeyAccessReporter;
import dev.byok.service.KeyVaultConfig;
import dev.byok.store.DekLeases;
import dev.byok.store.DekRepository;
import dev.byok.store.KeyConfigs;
import dev.byok.store.TenantEligibility;
import dev.byok.store.TenantKeys;
import dev.byok.testsupport.KafkaTestResource;
import dev.byok.testsupport.KeyVaultEmulatorEndpoint;
import dev.byok.testsupport.KeyVaultEmulatorTestResource;
import dev.byok.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Several sweeper replicas over one database: leases give each DEK to exactly one of them. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KeyVaultEmulatorTestResource.class)
class ConvergeReplicasIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String VAULT = KeyVaultEmulatorEndpoint.VAULT;
    private final EmulatorAdminClient admin =
            new EmulatorAdminClient(KeyVaultEmulatorEndpoint.emulator().adminUri());
    private final String tenant = "swr-" + UUID.randomUUID().toString().substring(0, 8);

    @Inject
    Pool pool;

    @Inject
    TenantDatas tenants;

    @Inject
    DekRepository deks;

    @Inject
    TenantKeys keys;

    @Inject
    TenantEligibility eligibility;

    @Inject
    SweeperConfig config;

    @Inject
    KeyConfigs keyConfigs;

    @Inject
    KeyAccessReporter reporter;

    @Inject
    SweeperMetrics metrics;

    @Inject
    KeyVaultConfig vaultConfig;

    private TenantData data;

    @BeforeEach
    void setUp() {
        data = tenants.of(tenant);
    }

    @Test
    void threeReplicasAtOnce_protectEachDekExactlyOnce() throws Exception {
        for (int i = 0; i < 60; i++) {
            data.write(Instant.now().minus(i + 1, ChronoUnit.MINUTES), 1, Optional.empty(), null, false);
        }
        admin.resetCounters(VAULT);
        data.enableByok(); // the service's own sweeper starts on it; two more replicas race it
        List<ConvergeJob> others = List.of(replica("replica-b"), replica("replica-c"));
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            for (ConvergeJob other : others) {
                threads.submit(() -> {
                    await().atMost(WAIT)
                            .until(() -> other.runOnce() == 0
                                    && data.deks().stream()
                                            .noneMatch(d -> d.customerKeyId().isEmpty()));
                    return null;
                });
            }
            await().atMost(WAIT)
                    .until(() -> data.deks().stream()
                            .noneMatch(d -> d.customerKeyId().isEmpty()));
        } finally {
            threads.shutdown();
            assertThat(threads.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
        }
        assertThat(admin.counters(VAULT))
                .as("one wrap per DEK, whichever replica did it")
                .containsEntry("wrapkey", 60L);
    }

    @Test
    void aDekLeasedByAReplicaThatDied_isTakenOverOnceTheLeaseRunsOut() {
        KeyVersionId key = data.enableByok();
        UUID dek = data.write(Instant.now().minus(1, ChronoUnit.DAYS), 2, Optional.empty(), null, false);
        pool.preparedQuery(
                        "UPDATE dek SET lease_owner = 'killed-replica', lease_until = now() + interval '3 seconds' WHERE id = $1")
                .execute(Tuple.of(dek))
                .await()
                .atMost(WAIT);

        await().atMost(WAIT)
                .until(() ->
                        data.deks().stream().allMatch(d -> d.customerKeyId().equals(Optional.of(key.toString()))));
    }

    /** Another sweeper replica over the same database, vault and topics (what a second pod is). */
    private ConvergeJob replica(String name) {
        DekLeases leases = deks.leases(new ReplicaId(name).value(), config.lease(), quarantined -> {});
        return new ConvergeJob(
                leases,
                keyConfigs,
                eligibility,
                keys,
                new DekWorkFailures(leases, reporter, metrics),
                metrics,
                config,
                vaultConfig);
    }
}
