package dev.byok.service;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Refuses a body announced larger than {@code quarkus.http.limits.max-body-size} with the same
 * {@code application/problem+json} every other error has, before the HTTP layer's own plain 413.
 * (A chunked body without Content-Length still meets the HTTP layer's limit.)
 */
@ApplicationScoped
public class OversizeBodyProblem {
    void install(@Observes Router router) {
        long limit = ConfigProvider.getConfig()
                .getOptionalValue("quarkus.http.limits.max-body-size", MemorySize.class)
                .map(MemorySize::asLongValue)
                .orElse(10L * 1024 * 1024);
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            String length = ctx.request().getHeader("Content-Length");
            if (length != null
                    && length.chars().allMatch(Character::isDigit)
                    && length.length() < 19
                    && Long.parseLong(length) > limit) {
                ctx.response()
                        .setStatusCode(413)
                        .putHeader("Content-Type", ProblemMappers.PROBLEM_JSON)
                        .putHeader("Connection", "close")
                        .end(new JsonObject()
                                .put("type", "about:blank")
                                .put("title", "Payload too large")
                                .put("status", 413)
                                .put(
                                        "detail",
                                        "the request body is " + length + " bytes; this API accepts at most " + limit)
                                .encode());
            } else {
                ctx.next();
            }
        });
    }
}
