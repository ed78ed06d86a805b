package dev.byok.config;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.Executor;

/**
 * Brings a pipeline back to the Vert.x context it started on. Key Vault answers complete on the
 * HTTP client's context, and Hibernate Reactive refuses to run anywhere but the caller's duplicated
 * context ("the current context is not a duplicated context"): capture this before calling Key
 * Vault, {@code emitOn} it before touching the database.
 */
final class CallerContext {
    private CallerContext() {
    }

    static Executor current() {
        Context context = Vertx.currentContext();
        return context == null ? Runnable::run : command -> context.runOnContext(ignored -> command.run());
    }
}
