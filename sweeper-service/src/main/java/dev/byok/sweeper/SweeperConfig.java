package dev.byok.sweeper;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code byok.sweeper.*}: pacing and policies of the background jobs. */
@ConfigMapping(prefix = "byok.sweeper")
public interface SweeperConfig {
    /** How often a sweep starts (one at a time per replica); each sweep runs until no work is left. */
    @WithDefault("PT10S")
    Duration interval();

    /**
     * Most DEKs claimed per round trip (fewer when one second of byok.keyvault.budget.ops-per-10s is
     * less); they are processed concurrently, paced by the Key Vault budget.
     */
    @WithDefault("64")
    int batchSize();

    /** How long a claimed DEK stays this replica's; after a crash (or a failure: a back-off) another may claim it. */
    @WithDefault("PT1M")
    Duration lease();

    /** No record may stay readable without the customer key longer than this (the status flags it as overdue). */
    @WithDefault("PT48H")
    Duration protectWithin();

    /** Records under a DEK older than this are re-encrypted under a new DEK, then the old DEK is destroyed. */
    @WithDefault("P90D")
    Duration cryptoPeriod();

    /**
     * How long after a DEK's seal time its records may be moved: covers clock skew between processes
     * and a batch that was sealing when that time came (its records are stored after it).
     */
    @WithDefault("PT2M")
    Duration sealMargin();

    /** Records re-encrypted per transaction. */
    @WithDefault("500")
    int reencryptBatchSize();
}
