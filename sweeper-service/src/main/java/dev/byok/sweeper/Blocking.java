package dev.byok.sweeper;

import dev.byok.kms.KmsFutures;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * The sweeper's one async boundary. A sweep runs on a scheduler worker thread and is written as
 * blocking code: every database statement (Uni), Key Vault call and Kafka send (CompletionStage) is
 * awaited here, at most {@link #TIMEOUT}, so a hung store, vault or broker fails the sweep instead of
 * holding it.
 */
final class Blocking {
    static final Duration TIMEOUT = Duration.ofMinutes(1);

    private Blocking() {}

    static <T> T await(Uni<T> statement) {
        return statement.await().atMost(TIMEOUT);
    }

    /** The stage's result; its failure is unwrapped (a {@code KmsException} is thrown as one). */
    static <T> T await(CompletionStage<T> call) {
        return await(Uni.createFrom().completionStage(call).onFailure().transform(KmsFutures::cause));
    }
}
