package dev.byok.fault;

import static dev.byok.fault.Suite.LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.byok.emulator.EmulatorAdminClient;
import dev.byok.emulator.Faults;
import dev.byok.kms.KeyVersionId;
import dev.byok.local.RunningStack;
import dev.byok.model.LockStatus;
import dev.byok.model.TenantLockState;
import dev.byok.testsupport.KeyVaultFault;
import dev.byok.testsupport.LockStateRecorder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every Key Vault failure class injected into the emulator while events flow: the tenant degrades
 * with the right classification, locks at the deadline (reads refused, ingest continuing under
 * pending DEKs), unlocks when the fault is gone, and then every event is stored once, readable and
 * under the customer key again. Throttling never degrades; a slow vault does not hold other tenants up.
 */
@Order(3)
@ExtendWith(Suite.Resolver.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeyVaultFaultsIT {
    private static final String VAULT = RunningStack.VAULT;
    private static final int BURST = 150; // events per phase: more than a DEK seals, so each phase needs a new DEK

    private final Suite suite;
    private final EmulatorAdminClient vault;
    private final Map<String, Integer> produced = new LinkedHashMap<>();

    KeyVaultFaultsIT(Suite suite) {
        this.suite = suite;
        this.vault = suite.vaultAdmin();
    }

    @Test
    @Order(1)
    void vaultWideFaults_eachClassifiedDegradedLockedAndRecovered() throws Exception {
        List<KeyVaultFault> cases = List.of(
                KeyVaultFault.FIREWALL_BLOCKED,
                KeyVaultFault.PORT_CLOSED,
                KeyVaultFault.NEVER_ANSWERS,
                KeyVaultFault.SERVER_ERRORS,
                KeyVaultFault.TOKENS_REFUSED,
                KeyVaultFault.WRAP_UNWRAP_REVOKED);
        for (KeyVaultFault c : cases) { // one at a time: each holds the whole vault
            runCase(c);
        }
    }

    @Test
    @Order(2)
    void keyFaults_eachClassifiedDegradedLockedAndRecovered() throws Exception {
        List<KeyVaultFault> cases = List.of(
                KeyVaultFault.KEY_DISABLED,
                KeyVaultFault.KEY_DELETED,
                KeyVaultFault.WRAP_NOT_PERMITTED,
                KeyVaultFault.KEY_EXPIRED,
                KeyVaultFault.KEY_NOT_YET_ACTIVE);
        List<Running> running = new ArrayList<>();
        for (KeyVaultFault c : cases) { // side by side: each on its own key and tenant
            running.add(start(c));
        }
        for (Running r : running) {
            r.awaitLockedThenRepair();
        }
        for (Running r : running) {
            r.awaitRecovered();
        }
    }

    @Test
    @Order(3)
    void throttling_neverDegrades() throws Exception {
        String tenant = "kv-throttle-" + suite.run;
        String key = tenant + "-key";
        vault.createKey(VAULT, key, "RSA", 2048);
        suite.enable(tenant, key);
        vault.resetCounters(VAULT);
        int before = suite.lockStates.of(tenant).size();
        vault.setFaults(VAULT, Faults.throttled(1));
        burst(tenant);
        await().during(Duration.ofSeconds(12))
                .atMost(Duration.ofSeconds(20))
                .until(() -> suite.lockStates.of(tenant).stream()
                        .skip(before)
                        .allMatch(s -> s.status() == LockStatus.HEALTHY));
        long throttled = vault.counters(VAULT).getOrDefault("throttled", 0L);
        vault.clearFaults(VAULT);
        burst(tenant);
        awaitAllStoredAndProtected(tenant);

        assertThat(throttled).as("the vault really throttled").isPositive();
        suite.results.add(
                "Key Vault throttles every request (429, Retry-After 1 s) for 12 s while events flow",
                "THROTTLED backs off, never degrades",
                "%d requests throttled; the tenant stayed HEALTHY; all %d events stored, then protected"
                        .formatted(throttled, produced.get(tenant)));
    }

    @Test
    @Order(4)
    void slowVault_doesNotHoldUpOtherTenants() throws Exception {
        List<String> slow = new ArrayList<>();
        for (int i = 0; i < SLOW_TENANTS; i++) {
            String tenant = "kv-slow-" + i + "-" + suite.run;
            vault.createKey(VAULT, tenant + "-key", "RSA", 2048);
            suite.enable(tenant, tenant + "-key");
            burst(tenant);
            slow.add(tenant);
        }
        await().atMost(LONG).ignoreExceptions().until(() -> {
            for (String tenant : slow) {
                if (!suite.fullyProtected(tenant)) {
                    return false;
                }
            }
            return true;
        });
        double baseline = secondsToStore("steady-a-" + suite.run, List.of());
        Map<String, Integer> before = new LinkedHashMap<>();
        slow.forEach(t -> before.put(t, suite.lockStates.of(t).size()));

        vault.setFaults(VAULT, Faults.latency(SLOW_VAULT_MS));
        double withSlowVault;
        try {
            withSlowVault = secondsToStore("steady-b-" + suite.run, slow);
            for (String tenant : slow) {
                await().atMost(LONG).ignoreExceptions().until(() -> suite.stored(tenant) == produced.get(tenant));
            }
        } finally {
            vault.clearFaults(VAULT);
        }
        List<TenantLockState> changes = new ArrayList<>();
        slow.forEach(t -> changes.addAll(suite.lockStates
                .of(t)
                .subList(before.get(t), suite.lockStates.of(t).size())));
        for (String tenant : slow) {
            awaitAllStoredAndProtected(tenant);
        }

        assertThat(changes)
                .as("slow is not a failure: no slow tenant degraded")
                .allMatch(s -> s.status() == LockStatus.HEALTHY);
        suite.results.add(
                ("Key Vault answers every request after %,d ms while %d BYOK tenants need new DEKs "
                                + "(%,d events each) and a managed tenant sends %,d")
                        .formatted(SLOW_VAULT_MS, SLOW_TENANTS, SLOW_EVENTS, STEADY_EVENTS),
                "a slow vault is not a failure; other tenants' ingest is not held up; the slow "
                        + "tenants' events stored (pending DEKs protected later)",
                "managed tenant's %,d events stored in %.1f s (%.1f s with a healthy vault); slow tenants' events all stored; none degraded"
                        .formatted(STEADY_EVENTS, withSlowVault, baseline));
    }

    private static final int SLOW_TENANTS = 4;
    private static final int SLOW_EVENTS = 1_000;
    private static final int STEADY_EVENTS = 5_000;
    private static final int SLOW_VAULT_MS =
            1_200; // below the 2 s HTTP timeout: slower than that counts as unreachable (a failure class above)

    /** Seconds until {@code steady}'s events are all stored, while each of {@code slow} sends its own. */
    private double secondsToStore(String steady, List<String> slow) throws Exception {
        long start = System.nanoTime();
        List<CompletableFuture<Void>> sending = new ArrayList<>();
        sending.add(suite.produce(steady, STEADY_EVENTS));
        for (String tenant : slow) {
            int from = produced.get(tenant);
            produced.put(tenant, from + SLOW_EVENTS);
            sending.add(suite.produce(tenant, from, SLOW_EVENTS));
        }
        await().atMost(LONG).ignoreExceptions().until(() -> suite.stored(steady) == STEADY_EVENTS);
        double seconds = (System.nanoTime() - start) / 1e9;
        CompletableFuture.allOf(sending.toArray(CompletableFuture[]::new)).get();
        return seconds;
    }

    private void runCase(KeyVaultFault c) throws Exception {
        Running r = start(c);
        r.awaitLockedThenRepair();
        r.awaitRecovered();
    }

    private Running start(KeyVaultFault c) throws Exception {
        String tenant =
                "kv-" + c.failure().name().toLowerCase().replace('_', '-') + "-" + produced.size() + "-" + suite.run;
        String key = tenant + "-key";
        KeyVersionId version = KeyVersionId.parse(vault.createKey(VAULT, key, "RSA", 2048));
        suite.enable(tenant, key);
        burst(tenant);
        await().atMost(LONG).ignoreExceptions().until(() -> suite.fullyProtected(tenant));
        Running r = new Running(c, tenant, version, suite.lockStates.of(tenant).size() - 1);
        c.inject(vault, VAULT, version);
        burst(tenant);
        return r;
    }

    /** One case under way: its tenant, and where its lock history stood when the fault went in. */
    private final class Running {
        private final KeyVaultFault c;
        private final String tenant;
        private final KeyVersionId key;
        private final int before;
        private int locked;
        private TenantLockState degradedState;
        private Instant repairedAt;

        Running(KeyVaultFault c, String tenant, KeyVersionId key, int before) {
            this.c = c;
            this.tenant = tenant;
            this.key = key;
            this.before = before;
        }

        void awaitLockedThenRepair() throws Exception {
            int degraded = suite.lockStates.awaitAfter(tenant, before, s -> s.status() != LockStatus.HEALTHY, LONG);
            degradedState = suite.lockStates.of(tenant).get(degraded);
            burst(tenant);
            locked = suite.lockStates.awaitAfter(tenant, degraded, LockStateRecorder.is(LockStatus.LOCKED), LONG);
            int readWhileLocked = suite.call(
                            "crypto-service", "GET", "/api/v1/tenants/" + tenant + "/events", suite.token(tenant), null)
                    .statusCode();
            burst(tenant);
            c.repair(vault, VAULT, key);
            repairedAt = Instant.now();

            assertThat(degradedState.status()).isEqualTo(LockStatus.DEGRADED);
            assertThat(degradedState.failure()).as(c.description()).contains(c.failure());
            assertThat(suite.lockStates.of(tenant).get(locked).failure()).contains(c.failure());
            assertThat(readWhileLocked).isEqualTo(423);
        }

        void awaitRecovered() throws Exception {
            int healthy = suite.lockStates.awaitAfter(tenant, locked, LockStateRecorder.is(LockStatus.HEALTHY), LONG);
            Duration toUnlock = Duration.between(
                    repairedAt, suite.lockStates.of(tenant).get(healthy).since());
            burst(tenant);
            awaitAllStoredAndProtected(tenant);
            suite.results.add(
                    "Key Vault fault during live traffic: " + c.description(),
                    "classified %s; DEGRADED, LOCKED after %d s (reads 423, ingest continues); unlocked after repair; nothing lost"
                            .formatted(c.failure(), Suite.LOCK_GRACE.toSeconds()),
                    ("%s → DEGRADED → LOCKED → HEALTHY %.1f s after the repair; %d of %d events "
                                    + "stored and readable; every DEK under the customer key again")
                            .formatted(
                                    degradedState.failure().orElseThrow(),
                                    toUnlock.toMillis() / 1e3,
                                    produced.get(tenant),
                                    produced.get(tenant)));
        }
    }

    /** Sends the tenant's next {@value #BURST} events and waits until Kafka has them. */
    private void burst(String tenant) throws Exception {
        int from = produced.getOrDefault(tenant, 0);
        produced.put(tenant, from + BURST);
        suite.produce(tenant, from, BURST).get();
    }

    private void awaitAllStoredAndProtected(String tenant) throws Exception {
        int n = produced.get(tenant);
        await().atMost(LONG).ignoreExceptions().until(() -> suite.stored(tenant) == n && suite.fullyProtected(tenant));
        Suite.ReadBack read = suite.readBack(tenant);
        assertThat(read.eventIds()).hasSize(n);
        assertThat(read.corrupted()).isZero();
    }
}
