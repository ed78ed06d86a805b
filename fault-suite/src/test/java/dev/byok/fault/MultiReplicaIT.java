package dev.byok.fault;

import static dev.byok.fault.Suite.LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.byok.emulator.EmulatorAdminClient;
import dev.byok.infra.EmbeddedKafkaBroker;
import dev.byok.infra.KeyRequests;
import dev.byok.kms.KeyVersionId;
import dev.byok.local.RunningStack;
import dev.byok.model.EventCodec;
import dev.byok.model.KeyConfigEvent;
import dev.byok.model.LockStatus;
import dev.byok.model.TenantLockState;
import dev.byok.model.Topics;
import dev.byok.testsupport.LockStateRecorder;
import dev.byok.testsupport.TopicClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two processes of every service (as two pods each), under load; for each service one of the two
 * is killed with SIGKILL mid-work and started again afterwards. Nothing may be lost or done twice
 * beyond what a crash must redo, and every guarantee of one replica must hold across two.
 */
@Order(5)
@ExtendWith(Suite.Resolver.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiReplicaIT {
    private static final List<String> SERVICES =
            List.of("config-service", "crypto-service", "sweeper-service", "lockdown-service");
    private static final int EVENTS_PER_TENANT = 5_000;
    private static final int REWRAP_DEKS = 40;
    private static final int CHANGES_PER_TENANT = 12;
    private static final int DEGRADED_TENANTS = 6;

    private final Suite suite;
    private final RunningStack stack;

    MultiReplicaIT(Suite suite) {
        this.suite = suite;
        this.stack = suite.stack;
    }

    /** The second process of a service. */
    private static String second(String service) {
        return service + "-2";
    }

    @BeforeAll
    void secondReplicas() throws Exception {
        for (String service : SERVICES) {
            stack.startReplica(service, second(service), EmbeddedKafkaBroker.freePort());
        }
    }

    @AfterAll
    void backToOneReplica() {
        SERVICES.forEach(service -> stack.stopReplica(second(service)));
    }

    /** SIGKILL, then a new process in its place, as Kubernetes would restart the pod. */
    private void killAndRestart(String replica) throws Exception {
        stack.kill(replica);
        stack.restart(replica);
    }

    @Test
    @Order(1)
    void cryptoReplicaKilledMidStream_noEventLostOrStoredTwice() throws Exception {
        List<String> tenants = tenantsOnEveryPartition("mr-ingest");
        List<CompletableFuture<Void>> producing = new ArrayList<>();
        for (String tenant : tenants) {
            producing.add(suite.produce(tenant, EVENTS_PER_TENANT));
        }
        long total = (long) tenants.size() * EVENTS_PER_TENANT;
        await().atMost(LONG)
                .until(() -> storedBy(tenants) >= total / 4
                        && ingested("crypto-service") > 0
                        && ingested(second("crypto-service")) > 0);
        long atKill = storedBy(tenants);
        long killedAt = System.nanoTime();
        killAndRestart(second("crypto-service"));
        for (CompletableFuture<Void> p : producing) {
            p.get(10, TimeUnit.MINUTES);
        }
        await().atMost(LONG).until(() -> storedBy(tenants) >= total);
        double seconds = (System.nanoTime() - killedAt) / 1e9;

        assertThat(storedBy(tenants)).isEqualTo(total);
        assertThat(distinctStoredBy(tenants)).isEqualTo(total);
        suite.results.add(
                "Two crypto-service processes share %,d events of %d tenants (one per partition); kill -9 one of them mid-stream"
                        .formatted(total, tenants.size()),
                "0 events lost, 0 stored twice",
                "%,d of %,d stored, %,d distinct (both had stored events before the kill, at %,d stored); all stored %.0f s after the kill"
                        .formatted(storedBy(tenants), total, distinctStoredBy(tenants), atKill, seconds));
    }

    @Test
    @Order(2)
    void sweeperReplicaKilledMidRewrap_everyDekRewrapped_wrapsRedoneOnlyForTheDeadReplicasLeases() throws Exception {
        String tenant = "mr-rewrap-" + suite.run;
        String key = "mr-rewrap-key-" + suite.run;
        int events = suite.protectedTenant(tenant, key, REWRAP_DEKS);
        long deks = suite.status(tenant).path("protection").path("deks").asLong();

        Instant rolledAt = Instant.now();
        String next = KeyVersionId.parse(suite.vaultAdmin().rotate(RunningStack.VAULT, key))
                .version();
        String onNext = Suite.deksOnVersion(next);
        await().atMost(LONG).until(() -> suite.count(onNext, tenant) >= deks / 5);
        long atKill = suite.count(onNext, tenant);
        killAndRestart(second("sweeper-service"));
        await().atMost(LONG)
                .ignoreExceptions()
                .until(() -> suite.count(onNext, tenant) == deks && suite.fullyProtected(tenant));
        long wraps = AuditTrail.of(stack, suite.run).rewrapWraps(tenant, next);

        Suite.ReadBack read = suite.readBack(tenant);
        int batch = Suite.SWEEPER_OPS_PER_10S / 10; // DEKs one replica claims at a time (ConvergeJob)
        assertThat(atKill).isLessThan(deks);
        // at most: only the dead replica's claimed batch is wrapped twice. Not "at least": audit records of the dead
        // process's last calls can die with it (every DEK on the new version already proves it was wrapped)
        assertThat(wraps)
                .as("re-wraps beyond one per DEK: only the dead replica's claimed batch")
                .isLessThanOrEqualTo(deks + batch);
        assertThat(read.eventIds()).hasSize(events);
        assertThat(read.corrupted()).isZero();
        suite.results.add(
                "Two sweeper-service processes re-wrap %d DEKs after a key roll; kill -9 one of them mid-way"
                        .formatted(deks),
                ("every DEK re-wrapped; at most one customer wrap per DEK plus the dead replica's "
                                + "claimed batch (%d), redone after its leases expire")
                        .formatted(batch),
                ("killed at %d of %d re-wrapped; %d audited customer wraps for %d DEKs (the dead process's last audit records may be lost);"
                                + " %,d of %,d events read, 0 corrupted; %.0f s from roll to all re-wrapped")
                        .formatted(
                                atKill,
                                deks,
                                wraps,
                                deks,
                                read.eventIds().size(),
                                events,
                                Duration.between(rolledAt, Instant.now()).toMillis() / 1000.0));
    }

    @Test
    @Order(3)
    void configReplicaKilledMidChanges_keyConfigEventsInRevisionOrder_latestRevisionEverywhere() throws Exception {
        List<String> tenants =
                List.of("mr-config-0-" + suite.run, "mr-config-1-" + suite.run, "mr-config-2-" + suite.run);
        String key = "mr-config-key-" + suite.run;
        suite.vaultAdmin().createKey(RunningStack.VAULT, key, "RSA", 2048);
        String uri = stack.emulator().vaultUri(RunningStack.VAULT) + "/keys/" + key;
        int killAfter = CHANGES_PER_TENANT / 2;
        for (int change = 0; change < CHANGES_PER_TENANT; change++) {
            if (change == killAfter) {
                stack.kill(second("config-service")); // its committed changes wait in the outbox for the survivor
            }
            for (String tenant : tenants) {
                String replica = change < killAfter && change % 2 == 1 ? second("config-service") : "config-service";
                HttpResponse<String> response = change % 2 == 0
                        ? suite.call(
                                replica,
                                "PUT",
                                "/api/v1/tenants/" + tenant + "/encryption",
                                suite.token(tenant),
                                KeyRequests.json(uri))
                        : suite.call(
                                replica,
                                "DELETE",
                                "/api/v1/tenants/" + tenant + "/encryption",
                                suite.token(tenant),
                                null);
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            }
        }
        stack.restart(second("config-service"));

        List<String> outcomes = new ArrayList<>();
        for (String tenant : tenants) {
            long revision = suite.status(tenant).path("revision").asLong();
            List<Long> published = TopicClient.recordsUntil(
                            stack.kafkaClient(EmbeddedKafkaBroker.ADMIN),
                            Topics.TENANT_KEY_CONFIG,
                            tenant,
                            found -> found.stream()
                                    .anyMatch(r -> EventCodec.decode(r.value(), KeyConfigEvent.class)
                                                    .revision()
                                            == revision),
                            LONG)
                    .stream()
                    .map(r -> EventCodec.decode(r.value(), KeyConfigEvent.class).revision())
                    .toList();
            assertThat(revision).isEqualTo(CHANGES_PER_TENANT);
            assertThat(published)
                    .as("revision order on the key-config topic")
                    .isSorted()
                    .endsWith(revision);
            await().atMost(LONG)
                    .ignoreExceptions()
                    .until(() -> suite.status(tenant)
                                    .path("protection")
                                    .path("targetKeyVersionId")
                                    .isNull()
                            && suite.status(tenant).path("mode").asText().equals("MANAGED_ONLY"));
            outcomes.add("%d events up to revision %d".formatted(published.size(), revision));
        }
        suite.results.add(
                "Two config-service processes take %d enable/disable changes of %d tenants, alternately; kill -9 one of them half-way"
                        .formatted(CHANGES_PER_TENANT * tenants.size(), tenants.size()),
                "every committed change published once it is the survivor's turn, in revision "
                        + "order; every service ends at the database's revision",
                "%s, each sorted; the sweeper's protection status follows the last (BYOK disabled) for every tenant"
                        .formatted(String.join("; ", outcomes)));
    }

    @Test
    @Order(4)
    void lockdownReplicaKilledWhileTenantsDegraded_everyDeadlineKept() throws Exception {
        String key = "mr-lockdown-key-" + suite.run;
        EmulatorAdminClient vault = suite.vaultAdmin();
        String version = KeyVersionId.parse(vault.createKey(RunningStack.VAULT, key, "RSA", 2048))
                .version();
        List<String> tenants = new ArrayList<>();
        Map<String, Integer> before = new HashMap<>();
        for (int t = 0; t < DEGRADED_TENANTS; t++) {
            String tenant = "mr-lock-" + t + "-" + suite.run;
            tenants.add(tenant);
            suite.enable(tenant, key);
            before.put(tenant, suite.lockStates.of(tenant).size() - 1);
        }

        vault.updateVersion(RunningStack.VAULT, key, version, Map.of("enabled", false));
        Map<String, Integer> degraded = new HashMap<>();
        Map<String, Instant> deadlines = new HashMap<>();
        for (String tenant : tenants) {
            degraded.put(
                    tenant,
                    suite.lockStates.awaitAfter(
                            tenant, before.get(tenant), LockStateRecorder.is(LockStatus.DEGRADED), LONG));
            deadlines.put(
                    tenant,
                    suite.lockStates
                            .of(tenant)
                            .get(degraded.get(tenant))
                            .lockDeadline()
                            .orElseThrow());
        }
        stack.kill(second(
                "lockdown-service")); // the survivor takes over its partitions when the group notices (session timeout)
        Duration latest = Duration.ZERO;
        for (String tenant : tenants) {
            int locked = suite.lockStates.awaitAfter(
                    tenant, degraded.get(tenant), LockStateRecorder.is(LockStatus.LOCKED), LONG);
            Duration seenAfterDeadline =
                    Duration.between(deadlines.get(tenant), Instant.now()); // an upper bound of how late
            latest = seenAfterDeadline.compareTo(latest) > 0 ? seenAfterDeadline : latest;
            List<TenantLockState> states = suite.lockStates.of(tenant);
            assertThat(states.get(locked).since()).as(tenant).isEqualTo(deadlines.get(tenant));
            assertThat(states.subList(degraded.get(tenant), locked))
                    .as(tenant)
                    .allSatisfy(s -> assertThat(s.lockDeadline()).contains(deadlines.get(tenant)));
        }
        stack.restart(second("lockdown-service"));
        vault.updateVersion(RunningStack.VAULT, key, version, Map.of("enabled", true));
        for (String tenant : tenants) {
            suite.lockStates.awaitAfter(tenant, degraded.get(tenant), LockStateRecorder.is(LockStatus.HEALTHY), LONG);
        }
        suite.results.add(
                "Two lockdown-service processes own %d DEGRADED tenants (grace %d s); kill -9 one of them"
                        .formatted(DEGRADED_TENANTS, Suite.LOCK_GRACE.toSeconds()),
                "every tenant LOCKED with the deadline set when it degraded, whichever process "
                        + "owned it; all unlocked after recovery",
                ("all %d LOCKED with their original deadlines (every DEGRADED record carried it), "
                                + "the last seen %.0f s after its deadline"
                                + " (a dead owner's tenants wait for the group's session timeout); "
                                + "all HEALTHY again after the key was re-enabled")
                        .formatted(DEGRADED_TENANTS, latest.toMillis() / 1000.0));
    }

    /** One tenant per partition of the ingest topic: both replicas get work. */
    private List<String> tenantsOnEveryPartition(String prefix) {
        try (KafkaProducer<String, byte[]> producer = suite.producer()) {
            return PartitionedTenants.oneOnEach(
                    producer.partitionsFor(Topics.ACTIVITY_INGEST).size(), prefix, suite.run);
        }
    }

    /** Events a crypto-service process stored (its metric). */
    private long ingested(String replica) throws Exception {
        String metrics = suite.management(replica, "/q/metrics").body();
        return metrics.lines()
                .filter(l -> l.startsWith("byok_ingest_stored_total"))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    private long storedBy(List<String> tenants) throws Exception {
        long sum = 0;
        for (String tenant : tenants) {
            sum += suite.stored(tenant);
        }
        return sum;
    }

    private long distinctStoredBy(List<String> tenants) throws Exception {
        long sum = 0;
        for (String tenant : tenants) {
            sum += suite.count("SELECT count(DISTINCT event_id) FROM activity_record WHERE tenant_id = ?", tenant);
        }
        return sum;
    }
}
