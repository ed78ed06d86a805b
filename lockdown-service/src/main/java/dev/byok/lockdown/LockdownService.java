package dev.byok.lockdown;

import dev.byok.kafka.TenantGate;
import dev.byok.kafka.TopicBootstrap;
import dev.byok.kafka.TopicSpecs;
import dev.byok.model.KeyUsagePurpose;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Starts, at application start, the lockdown engine (this replica's share of the tenants) and the
 * tenant gate (every tenant's lock state, for the dashboard and its stream).
 */
@Startup
@ApplicationScoped
public class LockdownService {
    private final LockdownEngine engine;
    private final TenantGate gate;

    LockdownService(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, LockdownConfig l,
                    KafkaTopicsConfig topics, KmsStack kms, MicrometerLockdownMetrics metrics) {
        if (topics.createTopics()) {
            TopicBootstrap.ensure(bootstrapServers, TopicSpecs.all(topics.partitions()), topics.replicationFactor());
        }
        LockdownSettings settings = new LockdownSettings(l.grace(), l.degradedProbeInterval(), l.backgroundProbeInterval(),
                l.tickInterval(), l.groupId(), "lockdown-service");
        KeyProber prober = new KeyProber(tenant -> kms.kms().forTenant(tenant, KeyUsagePurpose.PROBE), Clock.systemUTC());
        this.engine = new LockdownEngine(bootstrapServers, settings, prober, Clock.systemUTC(), metrics);
        this.engine.start();
        this.gate = TenantGate.start(bootstrapServers);
    }

    public LockdownEngine engine() {
        return engine;
    }

    public TenantGate gate() {
        return gate;
    }

    @PreDestroy
    void stop() {
        engine.close();
        gate.close();
    }
}
