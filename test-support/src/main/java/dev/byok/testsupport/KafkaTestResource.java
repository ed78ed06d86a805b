package dev.byok.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Quarkus test resource: points the application at the module's {@link KafkaEndpoint} as its own
 * principal (system property {@value #PRINCIPAL}, set per module in its failsafe configuration), with
 * the same {@code kafka.*} properties production uses. The broker lives for the whole test JVM, so
 * it boots once per module however often Quarkus restarts.
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {
    static final String PRINCIPAL = "byok.test.kafka.principal";

    @Override
    public Map<String, String> start() {
        String principal = System.getProperty(PRINCIPAL);
        if (principal == null || principal.isBlank()) {
            throw new IllegalStateException(
                    "set the system property " + PRINCIPAL + " to the service's Kafka principal");
        }
        Map<String, String> properties = new LinkedHashMap<>();
        KafkaEndpoint.clientProperties(principal).forEach((k, v) -> properties.put("kafka." + k, v.toString()));
        return properties;
    }

    @Override
    public void stop() {
        // stopped by a JVM shutdown hook: other test classes of the module reuse it
    }
}
