package dev.byok.kms.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.HttpLogOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.security.keyvault.keys.KeyAsyncClient;
import com.azure.security.keyvault.keys.KeyClientBuilder;
import com.azure.security.keyvault.keys.cryptography.CryptographyAsyncClient;
import com.azure.security.keyvault.keys.cryptography.CryptographyClientBuilder;
import com.azure.security.keyvault.keys.cryptography.models.KeyWrapAlgorithm;
import com.azure.security.keyvault.keys.models.KeyProperties;
import dev.byok.kms.KeyAccessFailure;
import dev.byok.kms.KeyDescription;
import dev.byok.kms.KeyRef;
import dev.byok.kms.KeyVersionId;
import dev.byok.kms.Kms;
import dev.byok.kms.KmsException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import reactor.core.publisher.Mono;

/**
 * The KMS contract on Azure Key Vault, through the real Azure SDK. New DEKs are wrapped with
 * RSA-OAEP-256 by the key's latest version, which is resolved by listing versions (List permission
 * alone is enough) and cached for {@link AzureKmsSettings#latestVersionTtl()}. Unwrapping always
 * uses the version stored with the wrapped DEK. Crypto runs remotely only: the SDK never caches the
 * public key, so revocation is noticed at once. Every operation is bounded by
 * {@link AzureKmsSettings#operationDeadline()} and classified by {@link KeyVaultFailures}.
 *
 * <p>Key ids reach this class from admins, from Kafka and from stored DEKs; each is checked against
 * {@link KeyVaultHosts} before any network call, so the service's token never leaves for a host
 * that is not a vault. The SDK's challenge resource verification stays on: a "vault" whose
 * challenge names another resource gets no token either ({@code UNTRUSTED_CHALLENGE}).
 * Its clients and its bounded, classified calls also serve {@link AzureKeyLifecycle}.
 */
public final class AzureKeyVaultKms implements Kms {
    /** Bound of each per-vault and per-key map: past it the map is emptied (clients and versions are cheap to rebuild). */
    static final int MAX_CACHED = 4096;

    private final AzureKmsSettings settings;
    private final KeyVaultHosts hosts;
    private final AzureCredentials.BoundedCredential credential;
    private final HttpClient httpClient;
    private final Clock clock;
    private final Map<URI, KeyAsyncClient> keyClients = new ConcurrentHashMap<>();
    private final Map<KeyVersionId, CryptographyAsyncClient> cryptoClients = new ConcurrentHashMap<>();
    private final Map<KeyRef, CachedVersion> latest = new ConcurrentHashMap<>();

    private record CachedVersion(KeyVersionId id, Instant fetchedAt) {}

    public AzureKeyVaultKms(AzureKmsSettings settings, TokenCredential credential, HttpClient httpClient, Clock clock) {
        this.settings = settings;
        this.hosts = settings.hosts();
        // half the deadline: a stuck token request must surface as an authentication failure
        this.credential = new AzureCredentials.BoundedCredential(
                credential, settings.operationDeadline().dividedBy(2));
        this.httpClient = httpClient;
        this.clock = clock;
    }

    @Override
    public CompletionStage<KeyVersionId> resolveLatest(KeyRef key) {
        CachedVersion cached = latest.get(key);
        if (cached != null && clock.instant().isBefore(cached.fetchedAt().plus(settings.latestVersionTtl()))) {
            return Mono.just(cached.id()).toFuture();
        }
        return run(
                key,
                "resolve latest version of " + key,
                false,
                listVersions(key).map(versions -> {
                    KeyVersionId id = key.version(newest(versions).getVersion());
                    bounded(latest).put(key, new CachedVersion(id, clock.instant()));
                    return id;
                }));
    }

    /** Forgets a cached latest version (e.g. on an Event Grid "new version" notification). */
    public void invalidateLatest(KeyRef key) {
        latest.remove(key);
    }

    @Override
    public CompletionStage<byte[]> wrap(KeyVersionId key, byte[] plaintextKey) {
        return run(
                key.key(),
                "wrap with " + key,
                false,
                Mono.defer(() -> crypto(key).wrapKey(KeyWrapAlgorithm.RSA_OAEP_256, plaintextKey))
                        .map(result -> result.getEncryptedKey()));
    }

    @Override
    public CompletionStage<byte[]> unwrap(KeyVersionId key, byte[] wrappedKey) {
        return run(
                key.key(),
                "unwrap with " + key,
                true,
                Mono.defer(() -> crypto(key).unwrapKey(KeyWrapAlgorithm.RSA_OAEP_256, wrappedKey))
                        .map(result -> result.getKey()));
    }

    @Override
    public CompletionStage<KeyDescription> describe(KeyRef key) {
        Mono<KeyDescription> description = listVersions(key).flatMap(versions -> {
            KeyProperties newest = newest(versions);
            KeyVersionId id = key.version(newest.getVersion());
            return keyTypeAndOperations(key, newest.getVersion())
                    .map(typeAndOps -> new KeyDescription(
                            id,
                            Boolean.TRUE.equals(newest.isEnabled()),
                            instant(newest.getNotBefore()),
                            instant(newest.getExpiresOn()),
                            Optional.ofNullable(newest.getRecoveryLevel()),
                            typeAndOps.keyType(),
                            typeAndOps.operations(),
                            versions.size()));
        });
        return run(key, "describe " + key, false, description);
    }

    private record TypeAndOps(Optional<String> keyType, Optional<Set<String>> operations) {}

    /** Key type and permitted operations need Get permission; with List alone they stay unknown. */
    private Mono<TypeAndOps> keyTypeAndOperations(KeyRef key, String version) {
        return keys(AzureKeyIds.vaultUri(key))
                .getKey(key.name(), version)
                .map(k -> new TypeAndOps(
                        Optional.ofNullable(k.getKeyType()).map(Object::toString),
                        Optional.of(k.getKeyOperations().stream()
                                .map(Object::toString)
                                .collect(java.util.stream.Collectors.toSet()))))
                .onErrorResume(e -> {
                    RuntimeException classified = KeyVaultFailures.classify(e, "get " + key, false);
                    if (classified instanceof KmsException k
                            && (k.failure() == KeyAccessFailure.PERMISSION_DENIED
                                    || k.failure() == KeyAccessFailure.KEY_DISABLED)) {
                        return Mono.just(new TypeAndOps(Optional.empty(), Optional.empty()));
                    }
                    return Mono.error(classified);
                });
    }

    private Mono<List<KeyProperties>> listVersions(KeyRef key) {
        return Mono.defer(() -> keys(AzureKeyIds.vaultUri(key))
                        .listPropertiesOfKeyVersions(key.name())
                        .collectList())
                .flatMap(list -> list.isEmpty()
                        ? Mono.error(
                                new KmsException(KeyAccessFailure.KEY_NOT_FOUND, "key " + key + " has no versions"))
                        : Mono.just(list));
    }

    /** The most recently created version; Key Vault times have whole seconds, so a tie goes to the later listed. */
    private static KeyProperties newest(List<KeyProperties> versions) {
        Comparator<KeyProperties> byCreation =
                Comparator.comparing(p -> p.getCreatedOn() == null ? OffsetDateTime.MIN : p.getCreatedOn());
        return versions.stream()
                .reduce((a, b) -> byCreation.compare(a, b) > 0 ? a : b)
                .orElseThrow();
    }

    /**
     * Runs one operation on {@code key}'s vault, bounded and classified; a key on a host that is no
     * trusted vault is refused first ({@code call} is lazy: no client is built, nothing is sent).
     */
    <T> CompletionStage<T> run(KeyRef key, String what, boolean unwrapping, Mono<T> call) {
        if (!AzureKeyIds.PROVIDER.equals(key.provider()) || !hosts.trusted(AzureKeyIds.vaultUri(key))) {
            return untrusted(key);
        }
        return Mono.defer(() -> {
                    int tokenFailuresBefore = credential.failures();
                    return call.timeout(settings.operationDeadline())
                            .onErrorMap(
                                    TimeoutException.class,
                                    e -> credential.troubleSince(tokenFailuresBefore)
                                            ? new ClientAuthenticationException(
                                                    "no Key Vault token within the operation deadline", null, e)
                                            : e)
                            .onErrorMap(e -> KeyVaultFailures.classify(e, what, unwrapping));
                })
                .toFuture();
    }

    /** Refused before any client is built: the host is no vault this deployment trusts. */
    private static <T> CompletionStage<T> untrusted(KeyRef key) {
        String where = AzureKeyIds.PROVIDER.equals(key.provider())
                ? AzureKeyIds.host(key) + " is not an Azure Key Vault or Managed HSM host, nor an allow-listed emulator"
                : "the key is held by " + key.provider() + ", not Azure Key Vault";
        return Mono.<T>error(new KmsException(KeyAccessFailure.UNTRUSTED_KEY_HOST, "refused before any call: " + where))
                .toFuture();
    }

    private static <K, V> Map<K, V> bounded(Map<K, V> map) {
        if (map.size() >= MAX_CACHED) {
            map.clear();
        }
        return map;
    }

    KeyAsyncClient keys(URI vault) {
        return bounded(keyClients)
                .computeIfAbsent(
                        vault,
                        v -> new KeyClientBuilder()
                                .vaultUrl(v.toString())
                                .credential(credential)
                                .httpClient(httpClient)
                                .retryOptions(retryOptions())
                                .httpLogOptions(new HttpLogOptions())
                                .buildAsyncClient());
    }

    private CryptographyAsyncClient crypto(KeyVersionId key) {
        return bounded(cryptoClients)
                .computeIfAbsent(
                        key,
                        k -> new CryptographyClientBuilder()
                                .keyIdentifier(k.toString())
                                .credential(credential)
                                .httpClient(httpClient)
                                .retryOptions(retryOptions())
                                .disableKeyCaching()
                                .buildAsyncClient());
    }

    /**
     * Retry only when no answer came (but not a failed token: that will not heal in milliseconds),
     * or on 408 / 5xx; 429 goes straight to the caller's rate limiter.
     */
    private RetryOptions retryOptions() {
        return new RetryOptions(new ExponentialBackoffOptions()
                        .setMaxRetries(settings.maxRetries())
                        .setBaseDelay(settings.retryBaseDelay())
                        .setMaxDelay(settings.retryMaxDelay()))
                .setShouldRetryCondition(condition -> condition.getResponse() == null
                        ? condition.getThrowable() != null && !tokenFailure(condition.getThrowable())
                        : condition.getResponse().getStatusCode() == 408
                                || condition.getResponse().getStatusCode() >= 500);
    }

    private static boolean tokenFailure(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ClientAuthenticationException) {
                return true;
            }
        }
        return false;
    }

    private static Optional<Instant> instant(OffsetDateTime time) {
        return Optional.ofNullable(time).map(OffsetDateTime::toInstant);
    }
}
