package dev.byok.fault;

import static dev.byok.fault.Suite.LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.byok.emulator.EmulatorAdminClient;
import dev.byok.kms.KeyVersionId;
import dev.byok.local.RunningStack;
import dev.byok.model.LockStatus;
import dev.byok.model.TenantLockState;
import dev.byok.testsupport.LockStateRecorder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Crashes and restarts of every moving part while work is in flight: nothing lost, nothing done
 * twice where it matters, no deadline reset. Runs against the packaged services as processes.
 */
@Order(1)
@ExtendWith(Suite.Resolver.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrashesIT {
    private static final int CRASH_EVENTS = Integer.getInteger("fault.crash-events", 100_000);
    private static final int RESTART_EVENTS = 20_000;
    private static final int REWRAP_DEKS = 60;

    private final Suite suite;
    private final RunningStack stack;

    CrashesIT(Suite suite) {
        this.suite = suite;
        this.stack = suite.stack;
    }

    /** What a disruption in the middle of a stream left: records stored when it struck, seconds from then to the last record. */
    private record Disrupted(long storedAtDisruption, double secondsToAllStored) {}

    private interface Disruption {
        void strike() throws Exception;
    }

    /** Sends {@code n} events for the tenant, strikes once a quarter is stored, and waits until all {@code n} are stored. */
    private Disrupted midStream(String tenant, int n, Disruption disruption) throws Exception {
        CompletableFuture<Void> producing = suite.produce(tenant, n);
        await().atMost(LONG).until(() -> suite.stored(tenant) >= n / 4);
        long atDisruption = suite.stored(tenant);
        long struck = System.nanoTime();
        disruption.strike();
        producing.get(10, TimeUnit.MINUTES);
        await().atMost(LONG).ignoreExceptions().until(() -> suite.stored(tenant) == n);
        return new Disrupted(atDisruption, (System.nanoTime() - struck) / 1e9);
    }

    @Test
    @Order(1)
    void cryptoServiceKilledMidStream_everyEventStoredExactlyOnce() throws Exception {
        String tenant = "crash-" + suite.run;
        Disrupted d = midStream(tenant, CRASH_EVENTS, () -> {
            stack.kill("crypto-service");
            stack.restart("crypto-service");
        });

        assertThat(suite.stored(tenant)).isEqualTo(CRASH_EVENTS);
        suite.results.add(
                "kill -9 crypto-service while %,d events flow".formatted(CRASH_EVENTS),
                "every event stored exactly once",
                "%,d of %,d stored once (killed at %,d stored; all stored %.0f s after the kill, restart included)"
                        .formatted(suite.stored(tenant), CRASH_EVENTS, d.storedAtDisruption(), d.secondsToAllStored()));
    }

    @Test
    @Order(2)
    void kafkaBrokerRestart_midStream_nothingLost() throws Exception {
        String tenant = "broker-" + suite.run;
        midStream(tenant, RESTART_EVENTS, stack::restartKafka);
        suite.results.add(
                "Kafka broker restarted mid-stream (%,d events)".formatted(RESTART_EVENTS),
                "every event stored exactly once",
                "%,d of %,d".formatted(suite.stored(tenant), RESTART_EVENTS));
    }

    @Test
    @Order(3)
    void postgresRestart_midStream_nothingLost() throws Exception {
        String tenant = "pg-" + suite.run;
        midStream(tenant, RESTART_EVENTS, stack::restartPostgres);
        suite.results.add(
                "PostgreSQL restarted mid-stream (%,d events)".formatted(RESTART_EVENTS),
                "every event stored exactly once",
                "%,d of %,d".formatted(suite.stored(tenant), RESTART_EVENTS));
    }

    @Test
    @Order(4)
    void sweeperKilledMidRewrap_everyDekRewrappedOnce_allDataReadable() throws Exception {
        String tenant = "rewrap-" + suite.run;
        String key = "rewrap-key-" + suite.run;
        int events = suite.protectedTenant(tenant, key, REWRAP_DEKS);
        long deks = suite.status(tenant).path("protection").path("deks").asLong();

        String second = KeyVersionId.parse(suite.vaultAdmin().rotate(RunningStack.VAULT, key))
                .version();
        String onSecond = Suite.deksOnVersion(second);
        await().atMost(LONG).until(() -> suite.count(onSecond, tenant) >= deks / 5);
        long atKill = suite.count(onSecond, tenant);
        stack.kill("sweeper-service");
        long restartedAt = System.nanoTime();
        stack.restart("sweeper-service");
        await().atMost(LONG)
                .ignoreExceptions()
                .until(() -> suite.count(onSecond, tenant) == deks && suite.fullyProtected(tenant));
        double seconds = (System.nanoTime() - restartedAt) / 1e9;

        Suite.ReadBack read = suite.readBack(tenant);
        assertThat(atKill).isLessThan(deks);
        assertThat(read.eventIds()).hasSize(events);
        assertThat(read.corrupted()).isZero();
        suite.results.add(
                "kill -9 sweeper-service mid re-wrap (%d DEKs after a key roll)".formatted(deks),
                "every DEK re-wrapped under the new version (the dead replica's leases expire); all data readable",
                "killed at %d of %d re-wrapped; all %d re-wrapped %.0f s after the restart began; %,d of %,d events read, 0 corrupted"
                        .formatted(atKill, deks, deks, seconds, read.eventIds().size(), events));
    }

    @Test
    @Order(5)
    void lockdownServiceKilledWhileDegraded_deadlineKept() throws Exception {
        String tenant = "lockdown-" + suite.run;
        String key = "lockdown-key-" + suite.run;
        EmulatorAdminClient vault = suite.vaultAdmin();
        String version = KeyVersionId.parse(vault.createKey(RunningStack.VAULT, key, "RSA", 2048))
                .version();
        suite.enable(tenant, key);
        int before = suite.lockStates.of(tenant).size() - 1;

        vault.updateVersion(RunningStack.VAULT, key, version, Map.of("enabled", false));
        int degraded = suite.lockStates.awaitAfter(tenant, before, LockStateRecorder.is(LockStatus.DEGRADED), LONG);
        Instant deadline =
                suite.lockStates.of(tenant).get(degraded).lockDeadline().orElseThrow();
        stack.kill("lockdown-service");
        stack.restart("lockdown-service");
        int locked = suite.lockStates.awaitAfter(tenant, degraded, LockStateRecorder.is(LockStatus.LOCKED), LONG);
        List<TenantLockState> states = suite.lockStates.of(tenant);
        TenantLockState lock = states.get(locked);
        vault.updateVersion(RunningStack.VAULT, key, version, Map.of("enabled", true));
        suite.lockStates.awaitAfter(tenant, locked, LockStateRecorder.is(LockStatus.HEALTHY), LONG);

        assertThat(states.subList(degraded, locked))
                .allSatisfy(s -> assertThat(s.lockDeadline()).contains(deadline));
        assertThat(lock.since()).isEqualTo(deadline);
        assertThat(states.subList(locked, states.size())).noneMatch(s -> s.status() == LockStatus.DEGRADED);
        suite.results.add(
                "kill -9 lockdown-service while a tenant is DEGRADED (grace %d s)"
                        .formatted(Suite.LOCK_GRACE.toSeconds()),
                "the deadline survives the restart; locked once, at the deadline; unlocked after recovery",
                "locked at the original deadline (%s); %d DEGRADED records, all with that deadline; unlocked after the key was re-enabled"
                        .formatted(deadline, locked - degraded));
    }
}
