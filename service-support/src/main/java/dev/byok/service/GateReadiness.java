package dev.byok.service;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** DOWN until the gate has loaded every tenant lock state: a service must not serve tenant data before. */
@Readiness
@ApplicationScoped
public class GateReadiness implements HealthCheck {
    private final Gate gate;

    GateReadiness(Gate gate) {
        this.gate = gate;
    }

    @Override
    public HealthCheckResponse call() {
        boolean ready = gate.gate().caughtUp();
        return HealthCheckResponse.named("tenant-gate")
                .status(ready)
                .withData("tenantsKnown", gate.gate().snapshot().size())
                .build();
    }
}
