package dev.byok.kms.azure;

import com.azure.core.http.HttpClient;
import dev.byok.kms.KeyAccessFailure;
import dev.byok.kms.KeyDescription;
import dev.byok.kms.KeyLifecycle;
import dev.byok.kms.KeyRef;
import dev.byok.kms.KeyVersionId;
import dev.byok.kms.Kms;
import dev.byok.kms.KmsException;
import dev.byok.kms.KmsFutures;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Key Vault as seen from each customer's Entra directory: one {@link AzureKeyVaultKms} per
 * directory, signing in there as the service's multi-tenant BYOK application. A token of one
 * directory is only ever requested for, and sent to, that directory's vaults: each credential
 * knows one directory and azure-identity refuses a challenge naming another one
 * ({@link KeyAccessFailure#WRONG_DIRECTORY}). Directories are bounded like every per-key cache.
 */
public final class KeyVaultDirectories {
    /** Directories kept at most: past it the map is emptied (a directory's client costs one sign-in to rebuild). */
    static final int MAX_DIRECTORIES = 1024;

    private final AzureKmsSettings settings;
    private final CredentialSettings credential;
    private final HttpClient httpClient;
    private final Clock clock;
    private final AzureKeyVaultKms home;
    private final AzureKeyLifecycle ownVaults;
    private final Map<String, Kms> byDirectory = new ConcurrentHashMap<>();

    public KeyVaultDirectories(
            AzureKmsSettings settings, CredentialSettings credential, HttpClient httpClient, Clock clock) {
        settings.requireFits(credential); // refuses an emulator allow-list with a production sign-in
        this.settings = settings;
        this.credential = credential;
        this.httpClient = httpClient;
        this.clock = clock;
        this.home = new AzureKeyVaultKms(settings, AzureCredentials.create(credential, httpClient), httpClient, clock);
        this.ownVaults = new AzureKeyLifecycle(home);
    }

    /** The KMS signing in to {@code directory}; without one (older configurations), the credential's own directory. */
    public Kms in(Optional<String> directory) {
        if (directory.isEmpty() || directory.equals(credential.tenantId())) {
            return home;
        }
        String id = directory.get();
        if (!EntraDirectory.wellFormed(id)) {
            return refusing(new KmsException(
                    KeyAccessFailure.WRONG_DIRECTORY, "the directory id is not an Entra tenant id (a GUID)"));
        }
        if (byDirectory.size() >= MAX_DIRECTORIES) {
            byDirectory.clear();
        }
        return byDirectory.computeIfAbsent(id, this::signingInTo);
    }

    /** Key creation and destruction in the service's own vaults (tenant keys), signed in to the credential's own directory. */
    public KeyLifecycle ownVaults() {
        return ownVaults;
    }

    /** Forgets a cached latest version in every directory (roll checks, Event Grid notifications). */
    public void invalidateLatest(KeyRef key) {
        home.invalidateLatest(key);
        byDirectory.values().forEach(kms -> {
            if (kms instanceof AzureKeyVaultKms azure) {
                azure.invalidateLatest(key);
            }
        });
    }

    private Kms signingInTo(String directory) {
        CredentialSettings there;
        try {
            there = credential.inDirectory(directory);
        } catch (IllegalArgumentException e) {
            return refusing(new KmsException(KeyAccessFailure.AUTHENTICATION_FAILED, e.getMessage()));
        }
        return new AzureKeyVaultKms(settings, AzureCredentials.create(there, httpClient), httpClient, clock);
    }

    /** A KMS for a directory the service cannot sign in to: every call fails with {@code failure}, nothing is sent. */
    private static Kms refusing(KmsException failure) {
        return new Kms() {
            @Override
            public CompletionStage<KeyVersionId> resolveLatest(KeyRef key) {
                return KmsFutures.failed(failure);
            }

            @Override
            public CompletionStage<byte[]> wrap(KeyVersionId key, byte[] plaintextKey) {
                return KmsFutures.failed(failure);
            }

            @Override
            public CompletionStage<byte[]> unwrap(KeyVersionId key, byte[] wrappedKey) {
                return KmsFutures.failed(failure);
            }

            @Override
            public CompletionStage<KeyDescription> describe(KeyRef key) {
                return KmsFutures.failed(failure);
            }
        };
    }
}
