package dev.byok.service;

import dev.byok.kms.KmsFutures;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The one adapter from the KMS contract (CompletionStage) to a service's Mutiny layer. Key Vault
 * answers complete on the HTTP client's context; the result comes back on the context the call was
 * made from, because Hibernate Reactive and the request scope refuse any other. A failure arrives as
 * its cause (a {@code KmsException} stays one).
 */
public final class KmsUni {
    private KmsUni() {}

    /** The call, started on subscription; call this on the caller's context (a request, a consumer). */
    public static <T> Uni<T> of(Supplier<? extends CompletionStage<? extends T>> call) {
        Context caller = Vertx.currentContext();
        Uni<T> result = Uni.createFrom().<T>completionStage(call).onFailure().transform(KmsFutures::cause);
        return caller == null ? result : result.emitOn(command -> caller.runOnContext(ignored -> command.run()));
    }
}
