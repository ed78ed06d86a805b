package dev.byok.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Quarkus test resource: points the application at the module's {@link KafkaEndpoint}. The broker
 * lives for the whole test JVM, so it boots once per module however often Quarkus restarts.
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        return Map.of("kafka.bootstrap.servers", KafkaEndpoint.bootstrapServers());
    }

    @Override
    public void stop() {
        // stopped by a JVM shutdown hook: other test classes of the module reuse it
    }
}
