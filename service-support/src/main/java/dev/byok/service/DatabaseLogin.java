package dev.byok.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;

/**
 * The database settings a service with a datasource cannot run without; none has a default outside dev mode and
 * tests (DB_URL, DB_JDBC_URL, DB_USER, DB_PASSWORD). Injected by the service's store, so that a start without one
 * stops at once with one line naming it (SRCFG00011), instead of a datasource deactivated deep in a stack trace.
 */
@ConfigMapping(prefix = "quarkus.datasource")
public interface DatabaseLogin {
    @WithName("reactive.url")
    String reactiveUrl();

    @WithName("jdbc.url")
    String jdbcUrl();

    String username();

    String password();
}
