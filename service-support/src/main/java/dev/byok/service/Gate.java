package dev.byok.service;

import dev.byok.kafka.TenantGate;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/** The service's {@link TenantGate}, started with the application; its readiness is {@link GateReadiness}. */
@Startup
@ApplicationScoped
public class Gate implements LiveLoop {
    private final TenantGate gate;

    Gate(KafkaClients kafka) {
        this.gate = TenantGate.start(kafka.config());
    }

    public TenantGate gate() {
        return gate;
    }

    @Override
    public String loopName() {
        return "tenant-gate view";
    }

    @Override
    public boolean alive() {
        return gate.alive();
    }

    @PreDestroy
    void stop() {
        gate.close();
    }
}
