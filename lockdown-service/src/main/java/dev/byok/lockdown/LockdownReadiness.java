package dev.byok.lockdown;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the engine runs in its consumer group (the gate has its own check, "tenant-gate"). */
@Readiness
@ApplicationScoped
public class LockdownReadiness implements HealthCheck {
    private final LockdownService service;

    LockdownReadiness(LockdownService service) {
        this.service = service;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("lockdown")
                .status(service.engine().running())
                .withData("ownedPartitions", service.engine().ownedPartitions().toString())
                .build();
    }
}
