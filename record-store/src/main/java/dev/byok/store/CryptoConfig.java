package dev.byok.store;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * {@code byok.crypto.*}: the managed keys (the keyring of format-1 DEKs, the vault of tenant keys) and
 * the DEK bounds, shared by every service that creates or opens DEKs.
 */
@ConfigMapping(prefix = "byok.crypto")
public interface CryptoConfig {
    /** {@code "<version>:<base64>[,...]"}: see ManagedKeyring#parse. A secret. */
    String managedKeyring();

    /**
     * The service's own Key Vault ({@code https://<name>.vault.azure.net}) that holds each tenant's
     * key, signed in to the service's own directory. It needs soft-delete without purge protection, and
     * grants the service Get, Create, Delete, Purge, Wrap Key and Unwrap Key (docs/operations.md).
     */
    String tenantKeyVault();

    /** Records one DEK seals before it is replaced (at most 2^28). */
    @WithDefault("16777216")
    long dekMaxRecords();

    /** How long one DEK seals new records before it is replaced. */
    @WithDefault("PT24H")
    Duration dekMaxAge();

    /**
     * How long a temporary DEK seals new records: one a BYOK tenant gets while no DEK born under its
     * customer key is ready (the key is slow, unreachable or locked). Its records are moved later.
     */
    @WithDefault("PT15M")
    Duration temporaryDekMaxAge();
}
