package dev.byok.kms.azure;

import com.azure.core.exception.ResourceNotFoundException;
import com.azure.security.keyvault.keys.KeyAsyncClient;
import com.azure.security.keyvault.keys.models.CreateRsaKeyOptions;
import com.azure.security.keyvault.keys.models.KeyOperation;
import dev.byok.kms.KeyLifecycle;
import dev.byok.kms.KeyRef;
import dev.byok.kms.KeyVersionId;
import java.util.concurrent.CompletionStage;
import reactor.core.publisher.Mono;

/**
 * Creating and destroying keys in the service's own vault (tenant keys), through the same clients,
 * host checks, deadline and failure classes as {@link AzureKeyVaultKms}: RSA-3072 for wrap and
 * unwrap only; destroying deletes, waits for the deletion, then purges.
 */
final class AzureKeyLifecycle implements KeyLifecycle {
    /** Tenant keys wrap 32-byte keys: RSA-3072 is Key Vault's recommended size above 2048. */
    static final int TENANT_KEY_BITS = 3072;

    private final AzureKeyVaultKms vault;

    AzureKeyLifecycle(AzureKeyVaultKms vault) {
        this.vault = vault;
    }

    @Override
    public CompletionStage<KeyVersionId> create(KeyRef key) {
        CreateRsaKeyOptions options = new CreateRsaKeyOptions(key.name())
                .setKeySize(TENANT_KEY_BITS)
                .setKeyOperations(KeyOperation.WRAP_KEY, KeyOperation.UNWRAP_KEY);
        return vault.run(
                key,
                "create " + key,
                false,
                Mono.defer(() -> vault.keys(AzureKeyIds.vaultUri(key)).createRsaKey(options))
                        .map(created -> key.version(created.getProperties().getVersion())));
    }

    @Override
    public CompletionStage<Void> destroy(KeyRef key) {
        return vault.run(key, "destroy " + key, false, Mono.defer(() -> {
            KeyAsyncClient keys = vault.keys(AzureKeyIds.vaultUri(key));
            return keys.beginDeleteKey(key.name())
                    .last()
                    .then()
                    .onErrorResume(ResourceNotFoundException.class, gone -> Mono.empty()) // deleted before
                    .then(Mono.defer(() -> keys.purgeDeletedKey(key.name())))
                    .onErrorResume(ResourceNotFoundException.class, gone -> Mono.empty()); // purged before
        }));
    }
}
