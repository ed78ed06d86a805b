package dev.byok.lockdown;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the engine runs in its group and the gate has loaded every lock state. */
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
                .status(service.engine().running() && service.gate().caughtUp())
                .withData("engineRunning", service.engine().running())
                .withData("gateCaughtUp", service.gate().caughtUp())
                .withData("ownedPartitions", service.engine().ownedPartitions().toString())
                .build();
    }
}
