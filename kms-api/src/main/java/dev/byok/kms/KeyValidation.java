package dev.byok.kms;

import java.util.concurrent.CompletionStage;

/** A provider's checks of an admin's key before BYOK is enabled, reported one by one. */
public interface KeyValidation {

    /** Runs every check; never completes exceptionally (a failure is a failed check). */
    CompletionStage<KeyValidationReport> validate(String keyUri);

    /**
     * The report for a key refused before any call to its vault because its directory is not the
     * tenant's: the directory check failed with {@code detail}, the rest was not checked.
     */
    KeyValidationReport refusedDirectory(String keyUri, String detail);
}
