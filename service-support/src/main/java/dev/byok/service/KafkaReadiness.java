package dev.byok.service;

import dev.byok.kafka.KafkaTopicCheck;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.Admin;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * DOWN while Kafka cannot be reached as this service's principal (unreachable, wrong credentials,
 * untrusted certificate, missing rights) or the tenant-joined topics are missing or unequal; UP
 * again as soon as it can. Each change is logged once, naming the principal and listener; the
 * client retries on its own.
 */
@Readiness
@ApplicationScoped
public class KafkaReadiness implements HealthCheck {
    private final KafkaClients kafka;
    private final Admin admin;
    private volatile String lastProblem = "";

    KafkaReadiness(KafkaClients kafka) {
        this.kafka = kafka;
        this.admin = KafkaTopicCheck.admin(kafka.config());
    }

    @Override
    public HealthCheckResponse call() {
        String problem = KafkaTopicCheck.problem(admin).orElse("");
        if (!problem.equals(lastProblem)) {
            if (problem.isEmpty()) {
                Log.infof("Kafka reachable again as %s", kafka.config().describe());
            } else {
                Log.warnf(
                        "Kafka not usable as %s: %s (retrying)", kafka.config().describe(), problem);
            }
            lastProblem = problem;
        }
        return HealthCheckResponse.named("kafka")
                .status(problem.isEmpty())
                .withData("principal", kafka.config().principal())
                .withData("bootstrap", kafka.config().bootstrapServers())
                .withData("problem", problem)
                .build();
    }

    @PreDestroy
    void close() {
        admin.close();
    }
}
