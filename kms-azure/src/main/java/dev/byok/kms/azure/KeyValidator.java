package dev.byok.kms.azure;

import static dev.byok.kms.azure.ValidationCheck.APP_REGISTERED;
import static dev.byok.kms.azure.ValidationCheck.AUTHENTICATION;
import static dev.byok.kms.azure.ValidationCheck.DIRECTORY_MATCHES;
import static dev.byok.kms.azure.ValidationCheck.FIREWALL;
import static dev.byok.kms.azure.ValidationCheck.KEY_ACTIVE;
import static dev.byok.kms.azure.ValidationCheck.KEY_ENABLED;
import static dev.byok.kms.azure.ValidationCheck.KEY_EXISTS;
import static dev.byok.kms.azure.ValidationCheck.KEY_NOT_EXPIRED;
import static dev.byok.kms.azure.ValidationCheck.KEY_OPERATIONS;
import static dev.byok.kms.azure.ValidationCheck.KEY_TYPE_RSA;
import static dev.byok.kms.azure.ValidationCheck.LIST_PERMISSION;
import static dev.byok.kms.azure.ValidationCheck.PURGE_PROTECTION;
import static dev.byok.kms.azure.ValidationCheck.UNWRAP_PERMITTED;
import static dev.byok.kms.azure.ValidationCheck.URI_FORM;
import static dev.byok.kms.azure.ValidationCheck.VAULT_REACHABLE;
import static dev.byok.kms.azure.ValidationCheck.WRAP_PERMITTED;

import dev.byok.kms.InvalidCiphertextException;
import dev.byok.kms.KeyAccessFailure;
import dev.byok.kms.KeyDescription;
import dev.byok.kms.KeyValidation;
import dev.byok.kms.KeyValidationReport;
import dev.byok.kms.KeyVersionId;
import dev.byok.kms.Kms;
import dev.byok.kms.KmsException;
import dev.byok.kms.KmsFutures;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Checks a key URI before BYOK is enabled and reports every check, failing or not. It reads what
 * List permission reveals (enabled, dates, recovery level), and proves Wrap and Unwrap with a real
 * round trip of random bytes under the latest version — which also proves the key is RSA and permits
 * both operations when Get permission is not there to read them.
 */
public final class KeyValidator implements KeyValidation {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SAME_DIRECTORY = "the vault's challenge named the tenant's directory";

    private final Kms kms;
    private final KeyVaultHosts hosts;
    private final Clock clock;

    public KeyValidator(Kms kms, KeyVaultHosts hosts, Clock clock) {
        this.kms = kms;
        this.hosts = hosts;
        this.clock = clock;
    }

    @Override
    public CompletionStage<KeyValidationReport> validate(String keyUri) {
        Run run = new Run();
        KeyVaultUri uri;
        try {
            uri = KeyVaultUri.parse(keyUri, hosts);
        } catch (InvalidKeyUriException e) {
            run.report.fail(URI_FORM, e.getMessage());
            return CompletableFuture.completedFuture(
                    run.report.build(String.valueOf(keyUri), "not checked: the key URI is not usable"));
        }
        run.report.pass(
                URI_FORM,
                "key " + uri.key().name() + " in " + AzureKeyIds.host(uri.key())
                        + uri.version()
                                .map(v -> " (version " + v + " is ignored: the latest version is always used)")
                                .orElse(""));
        return kms.describe(uri.key())
                .handle((description, error) -> described(run, uri, description, error))
                .thenCompose(version ->
                        version.isPresent() ? roundTrip(run, version.get()) : CompletableFuture.completedFuture(null))
                .handle((ignored, error) -> run.report.build(uri.toString(), run.notCheckedReason));
    }

    @Override
    public KeyValidationReport refusedDirectory(String keyUri, String detail) {
        return new KeyValidationReport.Builder(List.of(ValidationCheck.values()))
                .fail(DIRECTORY_MATCHES, detail)
                .build(keyUri, "not checked: " + detail);
    }

    private static final class Run {
        final KeyValidationReport.Builder report = new KeyValidationReport.Builder(List.of(ValidationCheck.values()));
        String notCheckedReason = "not checked: an earlier check failed";
    }

    private Optional<KeyVersionId> described(Run run, KeyVaultUri uri, KeyDescription d, Throwable error) {
        if (error != null) {
            return describeFailed(run, uri, KmsFutures.cause(error));
        }
        admitted(run.report)
                .pass(LIST_PERMISSION, "listing key versions worked")
                .pass(KEY_EXISTS, "latest version " + d.latest().version() + " of " + d.versionCount());
        Instant now = clock.instant();
        if (d.enabled()) {
            run.report.pass(KEY_ENABLED, "version " + d.latest().version() + " is enabled");
        } else {
            run.report.fail(KEY_ENABLED, "version " + d.latest().version() + " is disabled");
        }
        if (d.notBefore().isPresent() && d.notBefore().get().isAfter(now)) {
            run.report.fail(
                    KEY_ACTIVE, "the key is not active before " + d.notBefore().get());
        } else {
            run.report.pass(
                    KEY_ACTIVE, d.notBefore().map(t -> "active since " + t).orElse("no activation date"));
        }
        if (d.expires().isPresent() && !d.expires().get().isAfter(now)) {
            run.report.fail(KEY_NOT_EXPIRED, "the key expired at " + d.expires().get());
        } else {
            run.report.pass(
                    KEY_NOT_EXPIRED, d.expires().map(t -> "expires " + t).orElse("no expiration date"));
        }
        String level = d.recoveryLevel().orElse("unknown");
        if (d.purgeProtected()) {
            run.report.pass(PURGE_PROTECTION, "recovery level " + level);
        } else {
            run.report.fail(
                    PURGE_PROTECTION,
                    "recovery level " + level
                            + (level.endsWith("+Purgeable")
                                    ? ": soft-delete is on but purge protection is off"
                                    : ": soft-delete and purge protection are off"));
        }
        d.keyType().ifPresent(type -> {
            if (type.equals("RSA") || type.equals("RSA-HSM")) {
                run.report.pass(KEY_TYPE_RSA, "key type " + type);
            } else {
                run.report.fail(KEY_TYPE_RSA, "key type " + type);
            }
        });
        d.keyOperations().ifPresent(ops -> {
            if (ops.contains("wrapKey") && ops.contains("unwrapKey")) {
                run.report.pass(
                        KEY_OPERATIONS, "permitted: " + ops.stream().sorted().toList());
            } else {
                run.report.fail(
                        KEY_OPERATIONS, "permitted: " + ops.stream().sorted().toList());
            }
        });
        return Optional.of(d.latest());
    }

    /** The vault answered, its firewall let the service in, the service signed in and its token was accepted. */
    private static KeyValidationReport.Builder admitted(KeyValidationReport.Builder r) {
        return r.pass(VAULT_REACHABLE, "the vault answered")
                .pass(FIREWALL, "the vault admitted the service")
                .pass(DIRECTORY_MATCHES, SAME_DIRECTORY)
                .pass(APP_REGISTERED, "the service signed in in the key's directory")
                .pass(AUTHENTICATION, "the service's token was accepted");
    }

    private Optional<KeyVersionId> describeFailed(Run run, KeyVaultUri uri, Throwable cause) {
        KeyAccessFailure failure = cause instanceof KmsException k ? k.failure() : KeyAccessFailure.UNKNOWN;
        String detail = failure.description();
        KeyValidationReport.Builder r = run.report;
        switch (failure) {
            case FIREWALL_BLOCKED ->
                r.pass(VAULT_REACHABLE, "the vault answered").fail(FIREWALL, detail);
            // no token was requested: nothing of the vault's key was read
            case WRONG_DIRECTORY ->
                r.pass(VAULT_REACHABLE, "the vault answered").fail(DIRECTORY_MATCHES, detail);
            case APP_NOT_REGISTERED ->
                r.pass(VAULT_REACHABLE, "the vault answered")
                        .pass(DIRECTORY_MATCHES, SAME_DIRECTORY)
                        .fail(APP_REGISTERED, detail);
            case AUTHENTICATION_FAILED ->
                r.pass(VAULT_REACHABLE, "the vault answered")
                        .pass(FIREWALL, "the vault admitted the service")
                        .pass(DIRECTORY_MATCHES, SAME_DIRECTORY)
                        .fail(AUTHENTICATION, detail);
            case PERMISSION_DENIED -> {
                admitted(r).fail(LIST_PERMISSION, "listing key versions was refused");
                run.notCheckedReason = "not checked: without List permission the service cannot read the key";
                // with a versioned URI, Wrap and Unwrap can still be proven on that version
                return uri.version().map(uri.key()::version);
            }
            case KEY_NOT_FOUND ->
                admitted(r)
                        .pass(LIST_PERMISSION, "the vault allowed listing")
                        .fail(KEY_EXISTS, "no key named " + uri.key().name() + " in " + AzureKeyIds.host(uri.key()));
            default -> r.fail(VAULT_REACHABLE, detail);
        }
        run.notCheckedReason = "not checked: " + failure.description();
        return Optional.empty();
    }

    private CompletionStage<Void> roundTrip(Run run, KeyVersionId version) {
        byte[] probe = new byte[32];
        RANDOM.nextBytes(probe);
        return kms.wrap(version, probe)
                .handle((wrapped, error) -> {
                    if (error == null) {
                        run.report
                                .pass(WRAP_PERMITTED, "wrapped 32 random bytes with " + version.version())
                                .passIfUnset(KEY_TYPE_RSA, "RSA-OAEP-256 wrapping worked, so the key is RSA");
                        return kms.unwrap(version, wrapped).handle((unwrapped, unwrapError) -> {
                            if (unwrapError == null && Arrays.equals(unwrapped, probe)) {
                                run.report
                                        .pass(UNWRAP_PERMITTED, "unwrapped them back unchanged")
                                        .passIfUnset(KEY_OPERATIONS, "wrapKey and unwrapKey both worked");
                            } else if (unwrapError == null) {
                                run.report.fail(UNWRAP_PERMITTED, "the unwrapped bytes differ from the wrapped ones");
                            } else {
                                cryptoFailed(run, UNWRAP_PERMITTED, KmsFutures.cause(unwrapError), "unwrapKey");
                            }
                            return (Void) null;
                        });
                    }
                    Throwable cause = KmsFutures.cause(error);
                    cryptoFailed(run, WRAP_PERMITTED, cause, "wrapKey");
                    if (cause instanceof KmsException k && k.failure() == KeyAccessFailure.PERMISSION_DENIED) {
                        return probeUnwrapPermission(run, version);
                    }
                    return CompletableFuture.<Void>completedFuture(null);
                })
                .thenCompose(stage -> stage);
    }

    /** Without a wrapped value, Unwrap permission shows in how the vault refuses junk: 400, not 403. */
    private CompletionStage<Void> probeUnwrapPermission(Run run, KeyVersionId version) {
        return kms.unwrap(version, new byte[256]).handle((ignored, error) -> {
            Throwable cause = error == null ? null : KmsFutures.cause(error);
            if (cause == null || cause instanceof InvalidCiphertextException) {
                run.report.pass(
                        UNWRAP_PERMITTED, "the vault accepted an unwrap request (and rejected only its test bytes)");
            } else {
                cryptoFailed(run, UNWRAP_PERMITTED, cause, "unwrapKey");
            }
            return null;
        });
    }

    private static void cryptoFailed(Run run, ValidationCheck operationCheck, Throwable cause, String operation) {
        KeyAccessFailure failure = cause instanceof KmsException k ? k.failure() : KeyAccessFailure.UNKNOWN;
        KeyValidationReport.Builder r = run.report;
        switch (failure) {
            case PERMISSION_DENIED ->
                r.fail(operationCheck, "the vault refused " + operation + " to the service identity");
            case OPERATION_NOT_PERMITTED ->
                r.fail(KEY_OPERATIONS, operation + " is not among the key's permitted operations");
            case KEY_DISABLED -> failUnlessFailed(r, KEY_ENABLED, "the key version is disabled");
            case KEY_EXPIRED -> failUnlessFailed(r, KEY_NOT_EXPIRED, "the key has expired");
            case KEY_NOT_YET_ACTIVE -> failUnlessFailed(r, KEY_ACTIVE, "the key is not active yet");
            case KEY_NOT_FOUND -> failUnlessFailed(r, KEY_EXISTS, "the key version was not found");
            case UNKNOWN ->
                r.fail(KEY_TYPE_RSA, "the key could not " + operation + " with RSA-OAEP-256: is it an RSA key?");
            default -> r.fail(VAULT_REACHABLE, failure.description() + " during " + operation);
        }
        if (failure != KeyAccessFailure.PERMISSION_DENIED) {
            run.notCheckedReason = "not checked: " + failure.description();
        }
    }

    private static void failUnlessFailed(KeyValidationReport.Builder r, ValidationCheck check, String detail) {
        if (!r.failed(check)) {
            r.fail(check, detail);
        }
    }
}
