package dev.byok.sweeper;

import dev.byok.service.KeyVaultConfig;

/**
 * How many DEKs a Key Vault job claims per round: about one second of this replica's Key Vault
 * budget (a DEK costs at most two calls), so a whole round stays within the rate limiter's wait
 * instead of being refused by this replica's own budget; never more than the configured batch.
 */
final class KeyVaultRound {
    private KeyVaultRound() {}

    static int deks(SweeperConfig config, KeyVaultConfig vault) {
        return Math.max(1, Math.min(config.batchSize(), vault.budget().opsPer10s() / 10));
    }
}
