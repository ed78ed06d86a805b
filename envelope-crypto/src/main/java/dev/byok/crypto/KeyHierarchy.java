package dev.byok.crypto;

import dev.byok.kms.InvalidCiphertextException;
import dev.byok.kms.KeyVersionId;
import dev.byok.kms.Kms;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The nested wrapping of DEKs: the managed layer always, the customer layer over it for BYOK
 * tenants. Both keys are needed to read a protected DEK, so revoking the customer key really
 * makes data unreadable, and disabling BYOK only peels the outer layer.
 */
public final class KeyHierarchy {
    private final ManagedKeyring keyring;
    private final Kms kms;

    public KeyHierarchy(ManagedKeyring keyring, Kms kms) {
        this.keyring = keyring;
        this.kms = kms;
    }

    /** Wraps a new DEK: managed layer, then the customer layer when a customer key version is given. */
    public CompletionStage<WrappedDek> wrap(Dek dek, Optional<KeyVersionId> customerKey) {
        WrappedDek.ManagedOnly managed = keyring.wrap(dek);
        return customerKey.isEmpty()
                ? CompletableFuture.completedFuture(managed)
                : addCustomerLayer(managed, customerKey.get()).thenApply(WrappedDek.class::cast);
    }

    /** Puts a managed-only DEK under the customer key version (the sweeper's "protect"). */
    public CompletionStage<WrappedDek.CustomerWrapped> addCustomerLayer(
            WrappedDek.ManagedOnly managed, KeyVersionId customerKey) {
        return kms.wrap(customerKey, managed.encode())
                .thenApply(blob ->
                        new WrappedDek.CustomerWrapped(managed.managedKeyVersion(), customerKey.toString(), blob));
    }

    /** Peels the customer layer (BYOK disabled): the managed layer stays. */
    public CompletionStage<WrappedDek.ManagedOnly> removeCustomerLayer(WrappedDek.CustomerWrapped wrapped) {
        KeyVersionId key;
        try {
            key = customerKey(wrapped);
        } catch (InvalidCiphertextException e) {
            return CompletableFuture.failedFuture(e);
        }
        return kms.unwrap(key, wrapped.customerWrap())
                .thenApply(inner -> managedLayer(inner, wrapped.managedKeyVersion()));
    }

    /**
     * The key version a stored DEK names, read by its installed provider. Only the canonical form is
     * ever written, so any other spelling was altered: {@link InvalidCiphertextException}.
     */
    public static KeyVersionId customerKey(WrappedDek.CustomerWrapped wrapped) {
        try {
            KeyVersionId key = KeyVersionId.parse(wrapped.customerKeyId());
            if (key.toString().equals(wrapped.customerKeyId())) {
                return key;
            }
        } catch (IllegalArgumentException e) {
            // not a key id of any installed provider
        }
        throw new InvalidCiphertextException();
    }

    /** Re-wraps the customer layer under another version (after a key roll); unwraps by the stored version. */
    public CompletionStage<WrappedDek.CustomerWrapped> rewrap(WrappedDek.CustomerWrapped wrapped, KeyVersionId newKey) {
        return removeCustomerLayer(wrapped).thenCompose(managed -> addCustomerLayer(managed, newKey));
    }

    /** Recovers the plaintext DEK through every layer. */
    public CompletionStage<Dek> unwrap(
            UUID dekId, String tenantId, Instant createdAt, DekPolicy policy, long alreadySealed, WrappedDek wrapped) {
        CompletionStage<WrappedDek.ManagedOnly> managed = wrapped instanceof WrappedDek.CustomerWrapped c
                ? removeCustomerLayer(c)
                : CompletableFuture.completedFuture((WrappedDek.ManagedOnly) wrapped);
        return managed.thenApply(m -> {
            byte[] raw = keyring.unwrap(tenantId, dekId, m);
            try {
                return Dek.restore(dekId, tenantId, raw, createdAt, policy, alreadySealed);
            } finally {
                Arrays.fill(raw, (byte) 0);
            }
        });
    }

    /** The unwrapped customer layer must be exactly the managed-only DEK the outer header announced. */
    private static WrappedDek.ManagedOnly managedLayer(byte[] inner, int expectedManagedVersion) {
        try {
            if (WrappedDek.decode(inner) instanceof WrappedDek.ManagedOnly m
                    && m.managedKeyVersion() == expectedManagedVersion) {
                return m;
            }
            throw new InvalidCiphertextException();
        } finally {
            Arrays.fill(inner, (byte) 0);
        }
    }
}
