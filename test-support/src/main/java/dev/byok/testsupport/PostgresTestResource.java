package dev.byok.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Quarkus test resource: points the default datasource at the module's {@link PostgresEndpoint}.
 * The server lives for the whole test JVM.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        PostgresEndpoint.Connection c = PostgresEndpoint.connection();
        return Map.of(
                "quarkus.datasource.reactive.url", c.reactiveUrl(),
                "quarkus.datasource.jdbc.url", c.jdbcUrl(),
                "quarkus.datasource.username", c.user(),
                "quarkus.datasource.password", c.password());
    }

    @Override
    public void stop() {
        // stopped by a JVM shutdown hook: other test classes of the module reuse it
    }
}
