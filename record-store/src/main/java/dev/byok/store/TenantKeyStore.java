package dev.byok.store;

import dev.byok.crypto.TenantKey;
import dev.byok.crypto.WrappedDek;
import dev.byok.kms.InvalidCiphertextException;
import dev.byok.kms.KeyLifecycle;
import dev.byok.kms.KeyRef;
import dev.byok.kms.KeyVersionId;
import dev.byok.kms.Kms;
import dev.byok.kms.KmsFutures;
import dev.byok.service.KmsStack;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each tenant's {@link TenantKey}, kept in {@code tenant_key} only wrapped by the tenant's own RSA key
 * {@code tenant-<tenantId>} in the service's vault ({@code byok.crypto.tenant-key-vault}).
 * <ul>
 * <li>A process opens a tenant's key once (one unwrap call) and keeps it: steady state costs no call.</li>
 * <li>The first use creates it: the vault key (one call), then the wrap (one call), then the row. Two
 *     replicas may race; the first row wins and the other opens it.</li>
 * <li>A row is input: it must name the tenant's own vault key, and what that key unwraps must name the
 *     tenant ({@link TenantKey#fromSealedForm}).</li>
 * <li>{@link #destroy} purges the vault key: every copy of the row, in any backup, no longer opens.</li>
 * </ul>
 * Failures are {@link TenantKeyUnavailableException}: the service's own outage, never the customer's key.
 */
@ApplicationScoped
public class TenantKeyStore {
    /** Tenant keys kept at most: past it the map is emptied (each costs one unwrap to reopen). */
    static final int MAX_CACHED = 100_000;

    private static final int VERSION = 1;

    private final Pool pool;
    private final KmsStack kms;
    private final Kms vault;
    private final KeyLifecycle vaultKeys;
    private final KeyConfigs configs;
    private final String vaultUri;
    private final Map<String, CompletableFuture<TenantKey>> open = new ConcurrentHashMap<>();

    TenantKeyStore(Pool pool, KmsStack kms, KeyConfigs configs, CryptoConfig crypto) {
        this.pool = pool;
        this.kms = kms;
        this.vault = kms.ownVault();
        this.vaultKeys = kms.ownVaultKeys();
        this.configs = configs;
        this.vaultUri = crypto.tenantKeyVault().replaceAll("/+$", "");
        try {
            kms.keyOf(vaultUri + "/keys/tenant-check"); // refuses a vault URI that is no trusted vault, at start
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("byok.crypto.tenant-key-vault is not a usable vault: " + e.getMessage());
        }
        configs.onChange(tenant -> {
            if (configs.offboarded(tenant)) {
                open.remove(tenant);
            }
        });
    }

    /** The tenant's key: kept, else its row opened, else created. An offboarded tenant has none. */
    public CompletionStage<TenantKey> key(String tenantId) {
        if (configs.offboarded(tenantId)) {
            return KmsFutures.failed(new TenantKeyUnavailableException(tenantId, "the tenant was offboarded"));
        }
        if (open.size() >= MAX_CACHED) {
            open.clear();
        }
        CompletableFuture<TenantKey> key = open.computeIfAbsent(tenantId, t -> load(t).subscribeAsCompletionStage());
        return key.whenComplete((k, error) -> {
            if (error != null) {
                open.remove(tenantId, key); // the next use tries again
            }
        });
    }

    /** The tenant's key in the vault: every version deleted and purged. Its rows go with the DEKs ({@link Shredding}). */
    public CompletionStage<Void> destroy(String tenantId) {
        open.remove(tenantId);
        return vaultKeys.destroy(vaultKey(tenantId));
    }

    /** The one vault key that may wrap this tenant's key. */
    KeyRef vaultKey(String tenantId) {
        return kms.keyOf(vaultUri + "/keys/tenant-" + tenantId);
    }

    private Uni<TenantKey> load(String tenantId) {
        return row(tenantId)
                .flatMap(row -> row.isPresent() ? opened(tenantId, row.get()) : created(tenantId))
                .onFailure(e -> !(e instanceof TenantKeyUnavailableException))
                .transform(e -> new TenantKeyUnavailableException(tenantId, KmsFutures.cause(e)));
    }

    private record StoredKey(int version, String vaultKeyId, byte[] wrapped) {}

    private Uni<Optional<StoredKey>> row(String tenantId) {
        return pool.preparedQuery("SELECT version, vault_key_id, wrapped FROM tenant_key WHERE tenant_id = $1")
                .execute(Tuple.of(tenantId))
                .map(rows -> rows.size() == 0
                        ? Optional.empty()
                        : Optional.of(stored(rows.iterator().next())));
    }

    private static StoredKey stored(Row row) {
        return new StoredKey(
                row.getInteger("version"),
                row.getString("vault_key_id"),
                row.getBuffer("wrapped").getBytes());
    }

    private Uni<TenantKey> opened(String tenantId, StoredKey row) {
        KeyVersionId wrappedBy;
        try {
            wrappedBy = KeyVersionId.parse(row.vaultKeyId());
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(new InvalidCiphertextException());
        }
        if (!wrappedBy.key().equals(vaultKey(tenantId)) // a row pointing at another key is altered
                || row.wrapped().length == 0
                || row.wrapped().length > WrappedDek.MAX_CUSTOMER_BLOB_BYTES) { // RSA-4096 wraps to 512 bytes
            return Uni.createFrom().failure(new InvalidCiphertextException());
        }
        return Uni.createFrom()
                .completionStage(() -> vault.unwrap(wrappedBy, row.wrapped()))
                .map(plain -> {
                    try {
                        return TenantKey.fromSealedForm(tenantId, row.version(), plain);
                    } finally {
                        Arrays.fill(plain, (byte) 0);
                    }
                });
    }

    /** A new key: vault key, wrap, then the row unless the tenant was shredded meanwhile or another replica won. */
    private Uni<TenantKey> created(String tenantId) {
        TenantKey key = TenantKey.generate(tenantId, VERSION);
        return Uni.createFrom()
                .completionStage(() -> vaultKeys.create(vaultKey(tenantId)))
                .flatMap(version -> Uni.createFrom()
                        .completionStage(() -> wrap(version, key))
                        .flatMap(wrapped -> insert(tenantId, version, wrapped)))
                .flatMap(inserted -> inserted ? Uni.createFrom().item(key) : winner(tenantId));
    }

    private CompletionStage<byte[]> wrap(KeyVersionId version, TenantKey key) {
        byte[] plain = key.sealedForm();
        return vault.wrap(version, plain).whenComplete((r, e) -> Arrays.fill(plain, (byte) 0));
    }

    private Uni<Boolean> insert(String tenantId, KeyVersionId version, byte[] wrapped) {
        return pool.preparedQuery("INSERT INTO tenant_key (tenant_id, version, vault_key_id, wrapped)"
                        + " SELECT $1, $2, $3, $4 WHERE NOT EXISTS (SELECT 1 FROM shredded_tenant WHERE tenant_id = $1)"
                        + " ON CONFLICT (tenant_id) DO NOTHING")
                .execute(Tuple.of(tenantId, VERSION, version.toString(), Buffer.buffer(wrapped)))
                .map(rows -> rows.rowCount() == 1);
    }

    private Uni<TenantKey> winner(String tenantId) {
        return row(tenantId)
                .flatMap(row -> row.isPresent()
                        ? opened(tenantId, row.get())
                        : Uni.createFrom()
                                .failure(new TenantKeyUnavailableException(tenantId, "the tenant was offboarded")));
    }
}
