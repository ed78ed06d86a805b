package dev.byok.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/** DOWN when any {@link LiveLoop} of the service has died; names each loop and its state. */
@Liveness
@ApplicationScoped
public class LoopsLiveness implements HealthCheck {
    private final Instance<LiveLoop> loops;

    LoopsLiveness(@Any Instance<LiveLoop> loops) {
        this.loops = loops;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("loops").up();
        for (LiveLoop loop : loops) {
            boolean alive = loop.alive();
            response.withData(loop.loopName(), alive ? "alive" : "dead");
            if (!alive) {
                response.down();
            }
        }
        return response.build();
    }
}
