package dev.byok.kms;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/** The one place that unwraps the wrappers futures put around a failure. */
public final class KmsFutures {
    private KmsFutures() {}

    /** The underlying cause of a {@link CompletionException} or {@link ExecutionException}. */
    public static Throwable cause(Throwable t) {
        Throwable current = t;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /** A stage already completed exceptionally with {@code t}. */
    public static <T> CompletionStage<T> failed(Throwable t) {
        return CompletableFuture.failedFuture(t);
    }

    /** Waits for a stage; rethrows its real cause (for blocking callers and tests). */
    public static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().join();
        } catch (CompletionException e) {
            Throwable cause = cause(e);
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }
}
