package dev.byok.kms;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.MGF1ParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

/**
 * An in-memory KMS for unit tests: real RSA-OAEP-256 keys held in memory, Azure Key Vault's rules for
 * enabled / not-before / expiry / permitted operations / permissions, and fault injection.
 * Expired keys still unwrap, as in Azure Key Vault (expiry only stops new wrapping).
 */
public final class InMemoryKms implements Kms, KmsFixture {
    public static final String VAULT = "vault-1";
    private static final OAEPParameterSpec OAEP_256 =
            new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);

    private final Clock clock;
    private final Map<String, List<Version>> keys = new ConcurrentHashMap<>();
    private final Set<Permission> granted = EnumSet.allOf(Permission.class);
    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
    private volatile KeyAccessFailure injected;

    private static final class Version {
        final KeyVersionId id;
        final KeyPair pair;
        volatile boolean enabled = true;
        volatile Instant notBefore;
        volatile Instant expires;
        volatile Set<String> operations = Set.of("wrapKey", "unwrapKey", "encrypt", "decrypt");

        Version(KeyVersionId id, KeyPair pair) {
            this.id = id;
            this.pair = pair;
        }
    }

    public InMemoryKms() {
        this(Clock.systemUTC());
    }

    public InMemoryKms(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Kms kms() {
        return this;
    }

    /** How many calls of an operation ({@code resolveLatest}, {@code wrap}, {@code unwrap}, {@code describe}) were made. */
    public long calls(String operation) {
        return calls.getOrDefault(operation, new AtomicLong()).get();
    }

    @Override
    public CompletionStage<KeyVersionId> resolveLatest(KeyRef key) {
        return call("resolveLatest", () -> {
            require(Permission.LIST, "list");
            return latest(key).id;
        });
    }

    @Override
    public CompletionStage<byte[]> wrap(KeyVersionId key, byte[] plaintextKey) {
        return call("wrap", () -> {
            require(Permission.WRAP, "wrapKey");
            Version v = usable(key, "wrapKey");
            if (v.expires != null && !clock.instant().isBefore(v.expires)) {
                throw new KmsException(KeyAccessFailure.KEY_EXPIRED, "key " + key + " expired at " + v.expires);
            }
            return rsa(Cipher.ENCRYPT_MODE, v, plaintextKey);
        });
    }

    @Override
    public CompletionStage<byte[]> unwrap(KeyVersionId key, byte[] wrappedKey) {
        return call("unwrap", () -> {
            require(Permission.UNWRAP, "unwrapKey");
            return rsa(Cipher.DECRYPT_MODE, usable(key, "unwrapKey"), wrappedKey);
        });
    }

    @Override
    public CompletionStage<KeyDescription> describe(KeyRef key) {
        return call("describe", () -> {
            require(Permission.LIST, "list");
            Version v = latest(key);
            return new KeyDescription(
                    v.id,
                    v.enabled,
                    Optional.ofNullable(v.notBefore),
                    Optional.ofNullable(v.expires),
                    Optional.of("Recoverable"),
                    Optional.of("RSA"),
                    Optional.of(v.operations),
                    keys.get(key.name()).size());
        });
    }

    @Override
    public KeyRef createKey(String name) {
        KeyRef ref = new KeyRef(InMemoryKeyIds.PROVIDER, VAULT, name);
        keys.put(name, new ArrayList<>());
        rotate(ref);
        return ref;
    }

    @Override
    public synchronized KeyVersionId rotate(KeyRef key) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyVersionId id = key.version(UUID.randomUUID().toString().replace("-", ""));
            keys.get(key.name()).add(new Version(id, generator.generateKeyPair()));
            return id;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void setEnabled(KeyVersionId version, boolean enabled) {
        find(version).enabled = enabled;
    }

    @Override
    public void setExpires(KeyVersionId version, Instant expires) {
        find(version).expires = expires;
    }

    @Override
    public void setNotBefore(KeyVersionId version, Instant notBefore) {
        find(version).notBefore = notBefore;
    }

    @Override
    public void setKeyOperations(KeyVersionId version, Set<String> operations) {
        find(version).operations = Set.copyOf(operations);
    }

    @Override
    public void delete(KeyRef key) {
        keys.remove(key.name());
    }

    @Override
    public synchronized void revoke(Permission permission) {
        granted.remove(permission);
    }

    @Override
    public synchronized void grant(Permission permission) {
        granted.add(permission);
    }

    @Override
    public void inject(KeyAccessFailure failure) {
        injected = failure;
    }

    @Override
    public void clearFaults() {
        injected = null;
    }

    private <T> CompletionStage<T> call(String operation, Supplier<T> body) {
        calls.computeIfAbsent(operation, k -> new AtomicLong()).incrementAndGet();
        try {
            KeyAccessFailure fault = injected;
            if (fault != null) {
                throw new KmsException(fault, "injected fault: " + fault.description());
            }
            return CompletableFuture.completedFuture(body.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private synchronized void require(Permission permission, String operation) {
        if (!granted.contains(permission)) {
            throw new KmsException(
                    KeyAccessFailure.PERMISSION_DENIED,
                    "the service identity may not " + operation + " keys in " + VAULT);
        }
    }

    private Version latest(KeyRef key) {
        List<Version> versions = keys.get(key.name());
        if (versions == null || !VAULT.equals(key.vault())) {
            throw new KmsException(KeyAccessFailure.KEY_NOT_FOUND, "key " + key + " was not found");
        }
        return versions.get(versions.size() - 1);
    }

    private Version find(KeyVersionId id) {
        List<Version> versions = keys.get(id.key().name());
        if (versions != null && VAULT.equals(id.key().vault())) {
            for (Version v : versions) {
                if (v.id.equals(id)) {
                    return v;
                }
            }
        }
        throw new KmsException(KeyAccessFailure.KEY_NOT_FOUND, "key " + id + " was not found");
    }

    private Version usable(KeyVersionId id, String operation) {
        Version v = find(id);
        if (!v.enabled) {
            throw new KmsException(KeyAccessFailure.KEY_DISABLED, "key " + id + " is disabled");
        }
        if (v.notBefore != null && clock.instant().isBefore(v.notBefore)) {
            throw new KmsException(
                    KeyAccessFailure.KEY_NOT_YET_ACTIVE, "key " + id + " is not active before " + v.notBefore);
        }
        if (!v.operations.contains(operation)) {
            throw new KmsException(
                    KeyAccessFailure.OPERATION_NOT_PERMITTED, "key " + id + " does not permit " + operation);
        }
        return v;
    }

    private static byte[] rsa(int mode, Version v, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPPadding");
            cipher.init(mode, mode == Cipher.ENCRYPT_MODE ? v.pair.getPublic() : v.pair.getPrivate(), OAEP_256);
            return cipher.doFinal(input);
        } catch (BadPaddingException | IllegalBlockSizeException e) {
            throw new InvalidCiphertextException();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA-OAEP-256 unavailable", e);
        }
    }
}
