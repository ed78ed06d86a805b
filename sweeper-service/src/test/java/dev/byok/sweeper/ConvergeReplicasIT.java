package dev.byok.sweeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.byok.emulator.EmulatorAdminClient;
import dev.byok.kms.KeyVersionId;
import dev.byok.service.KeyAccessReporter;
import dev.byok.store.CryptoConfig;
import dev.byok.store.DekLeases;
import dev.byok.store.DekRepository;
import dev.byok.store.KeyConfigs;
import dev.byok.store.Reencryptions;
import dev.byok.store.TenantEligibility;
import dev.byok.store.TenantKeys;
import dev.byok.testsupport.KafkaTestResource;
import dev.byok.testsupport.KeyVaultEmulatorEndpoint;
import dev.byok.testsupport.KeyVaultEmulatorTestResource;
import dev.byok.testsupport.PostgresTestResource;
import dev.byok.testsupport.TenantRows;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
    Reencryptions reencryptions;

    @Inject
    CryptoConfig crypto;

    private TenantData data;

    @BeforeEach
    void setUp() {
        data = tenants.of(tenant);
    }

    @Test
    void threeReplicasAtOnce_moveEachTemporaryDekExactlyOnce() throws Exception {
        for (int i = 0; i < 60; i++) {
            data.write(Instant.now().minus(i + 1, ChronoUnit.MINUTES), 1, Optional.empty(), null, false);
        }
        admin.resetCounters(VAULT);
        data.enableByok(); // the service's own sweeper starts on it; two more replicas race it
        List<ReencryptJob> others = List.of(replica("replica-b"), replica("replica-c"));
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> racing = others.stream()
                    .<Future<?>>map(other -> threads.submit(() -> {
                        while (!movedAll()) {
                            other.runOnce();
                        }
                    }))
                    .toList();
            await().atMost(WAIT).until(this::movedAll);
            for (Future<?> replica : racing) {
                replica.get(WAIT.toSeconds(), TimeUnit.SECONDS); // a failure in a replica fails the test
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(data.deks()).hasSize(60);
        assertThat(admin.counters(VAULT))
                .as("one wrap per new DEK, whichever replica moved the old one; no unwrap")
                .containsEntry("wrapkey", 60L)
                .doesNotContainKey("unwrapkey");
    }

    /** Every DEK is born under the customer key: the 60 temporary ones were moved and destroyed. */
    private boolean movedAll() {
        return data.deks().size() == 60
                && TenantRows.count("SELECT count(*) FROM dek WHERE tenant_id = ? AND NOT born_protected", tenant) == 0;
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
    private ReencryptJob replica(String name) {
        DekLeases leases = deks.leases(new ReplicaId(name).value(), config.lease(), quarantined -> {});
        return new ReencryptJob(
                leases,
                reencryptions,
                deks,
                keyConfigs,
                eligibility,
                keys,
                new DekWorkFailures(leases, reporter, metrics),
                metrics,
                Clock.systemUTC(),
                crypto,
                config);
    }
}
