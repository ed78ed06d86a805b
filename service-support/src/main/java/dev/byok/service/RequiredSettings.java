package dev.byok.service;

import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Makes the settings a service needs required at start, each only where it applies: a mapping is validated (and a
 * missing value reported, one line each, before anything connects) only when some bean injects it.
 */
final class RequiredSettings {
    private RequiredSettings() {}

    /** Every service: Kafka's address and the service's own login. */
    @Startup
    @ApplicationScoped
    static class Kafka {
        Kafka(KafkaLogin login) {}
    }

    /** The services with a datasource (their build sets {@code quarkus.datasource.db-kind}); lockdown-service has none. */
    @Startup
    @ApplicationScoped
    @IfBuildProperty(name = "quarkus.datasource.db-kind", stringValue = "postgresql")
    static class Database {
        Database(DatabaseLogin login) {}
    }

    /** The services that verify bearer tokens (config-service, crypto-service); the others turn JWT off. */
    @Startup
    @ApplicationScoped
    @IfBuildProperty(name = "quarkus.smallrye-jwt.enabled", stringValue = "true", enableIfMissing = true)
    static class Tokens {
        Tokens(TokenVerification verification) {}
    }
}
