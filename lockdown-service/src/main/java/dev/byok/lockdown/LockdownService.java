package dev.byok.lockdown;

import dev.byok.kafka.TenantGate;
import dev.byok.kms.KeyUsagePurpose;
import dev.byok.service.Gate;
import dev.byok.service.KafkaClients;
import dev.byok.service.KmsStack;
import dev.byok.service.LiveLoop;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;

/**
 * Starts, at application start, the lockdown engine (this replica's share of the tenants). The
 * tenant gate (every tenant's lock state, for the dashboard and its stream) comes from service-support.
 */
@Startup
@ApplicationScoped
public class LockdownService implements LiveLoop {
    private final LockdownEngine engine;
    private final TenantGate gate;

    LockdownService(
            KafkaClients kafka,
            Gate gate,
            LockdownConfig l,
            KmsStack kms,
            MicrometerLockdownMetrics metrics,
            Clock clock) {
        LockdownSettings settings = new LockdownSettings(
                l.grace(), l.degradedProbeInterval(), l.backgroundProbeInterval(), l.tickInterval(), l.groupId());
        KeyProber prober =
                new KeyProber((tenant, directory) -> kms.forTenant(tenant, directory, KeyUsagePurpose.PROBE), clock);
        this.engine = new LockdownEngine(kafka.config(), settings, prober, clock, metrics);
        this.engine.start();
        this.gate = gate.gate();
    }

    public LockdownEngine engine() {
        return engine;
    }

    public TenantGate gate() {
        return gate;
    }

    @Override
    public String loopName() {
        return "lockdown engine";
    }

    @Override
    public boolean alive() {
        return engine.alive();
    }

    @PreDestroy
    void stop() {
        engine.close();
    }
}
