package dev.byok.crypto;

import dev.byok.kms.InvalidCiphertextException;
import dev.byok.kms.KeyVersionId;
import dev.byok.kms.Kms;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The nested wrapping of a tenant's DEKs: the managed layer always — under the tenant's own {@link
 * TenantKey} (format 2), or under the global keyring for DEKs written before tenant keys (format 1,
 * read and moved only) — and the customer layer over it for BYOK tenants. Both keys are needed to
 * read a protected DEK, so revoking the customer key really makes data unreadable, and disabling
 * BYOK only peels the outer layer.
 */
public final class KeyHierarchy {
    private final ManagedKeyring keyring;
    private final TenantKey tenantKey;
    private final Kms kms;

    /** The hierarchy of {@code tenantKey}'s tenant; {@code keyring} opens its format-1 DEKs. */
    public KeyHierarchy(ManagedKeyring keyring, TenantKey tenantKey, Kms kms) {
        this.keyring = Objects.requireNonNull(keyring, "keyring");
        this.tenantKey = Objects.requireNonNull(tenantKey, "tenantKey");
        this.kms = kms;
    }

    /** Wraps a new DEK: managed layer (the tenant key), then the customer layer when a customer key version is given. */
    public CompletionStage<WrappedDek> wrap(Dek dek, Optional<KeyVersionId> customerKey) {
        WrappedDek.ManagedOnly managed = tenantKey.wrap(dek);
        return customerKey.isEmpty()
                ? CompletableFuture.completedFuture(managed)
                : addCustomerLayer(managed, customerKey.get()).thenApply(WrappedDek.class::cast);
    }

    /** Puts a managed-only DEK under the customer key version (the sweeper's "protect"). */
    public CompletionStage<WrappedDek.CustomerWrapped> addCustomerLayer(
            WrappedDek.ManagedOnly managed, KeyVersionId customerKey) {
        return kms.wrap(customerKey, managed.encode())
                .thenApply(blob -> new WrappedDek.CustomerWrapped(
                        managed.format(), managed.managedKeyVersion(), customerKey.toString(), blob));
    }

    /** Peels the customer layer (BYOK disabled): the managed layer stays. */
    public CompletionStage<WrappedDek.ManagedOnly> removeCustomerLayer(WrappedDek.CustomerWrapped wrapped) {
        KeyVersionId key;
        try {
            key = customerKey(wrapped);
        } catch (InvalidCiphertextException e) {
            return CompletableFuture.failedFuture(e);
        }
        return kms.unwrap(key, wrapped.customerWrap()).thenApply(inner -> managedLayer(inner, wrapped));
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
            byte[] raw = openManaged(tenantId, dekId, m);
            try {
                return Dek.restore(dekId, tenantId, raw, createdAt, policy, alreadySealed);
            } finally {
                Arrays.fill(raw, (byte) 0);
            }
        });
    }

    /**
     * The same DEK with its managed layer moved from the keyring to the tenant key (format 1 to 2); a
     * customer layer is peeled and made again under the very key version it names. A format-2 DEK is
     * returned as it is.
     */
    public CompletionStage<WrappedDek> toTenantKey(UUID dekId, String tenantId, WrappedDek wrapped) {
        if (wrapped.format() == WrappedDek.Format.TENANT_KEY) {
            return CompletableFuture.completedFuture(wrapped);
        }
        if (wrapped instanceof WrappedDek.ManagedOnly m) {
            return CompletableFuture.completedFuture(moved(tenantId, dekId, m));
        }
        WrappedDek.CustomerWrapped customer = (WrappedDek.CustomerWrapped) wrapped;
        return removeCustomerLayer(customer)
                .thenCompose(m -> addCustomerLayer(moved(tenantId, dekId, m), customerKey(customer)))
                .thenApply(WrappedDek.class::cast);
    }

    private WrappedDek.ManagedOnly moved(String tenantId, UUID dekId, WrappedDek.ManagedOnly keyringWrapped) {
        byte[] raw = keyring.unwrap(tenantId, dekId, keyringWrapped);
        try {
            return tenantKey.wrap(tenantId, dekId, raw);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    private byte[] openManaged(String tenantId, UUID dekId, WrappedDek.ManagedOnly m) {
        return m.format() == WrappedDek.Format.KEYRING
                ? keyring.unwrap(tenantId, dekId, m)
                : tenantKey.unwrap(tenantId, dekId, m);
    }

    /** The unwrapped customer layer must be exactly the managed-only DEK the outer header announced. */
    private static WrappedDek.ManagedOnly managedLayer(byte[] inner, WrappedDek.CustomerWrapped outer) {
        try {
            if (WrappedDek.decode(inner) instanceof WrappedDek.ManagedOnly m
                    && m.format() == outer.format()
                    && m.managedKeyVersion() == outer.managedKeyVersion()) {
                return m;
            }
            throw new InvalidCiphertextException();
        } finally {
            Arrays.fill(inner, (byte) 0);
        }
    }
}
