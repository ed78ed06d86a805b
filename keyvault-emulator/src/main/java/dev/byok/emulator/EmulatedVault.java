package dev.byok.emulator;

import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One emulated vault: keys, deleted keys, the service principal's permissions, injected faults and
 * counters of the operations it served. Thread-safe; the REST and admin APIs both act on it.
 */
public final class EmulatedVault {
    /** Permissions the service principal can hold (access-policy names). */
    public static final Set<String> ALL_PERMISSIONS =
            Set.of("list", "get", "wrapKey", "unwrapKey", "create", "delete", "purge");
    /** What the product page asks admins to grant: List, Wrap Key, Unwrap Key. */
    public static final Set<String> DEFAULT_PERMISSIONS = Set.of("list", "wrapKey", "unwrapKey");
    /** The service's own vault of tenant keys: it creates, uses, deletes and purges them. */
    public static final Set<String> SERVICE_VAULT_PERMISSIONS =
            Set.of("get", "wrapKey", "unwrapKey", "create", "delete", "purge");

    static final List<String> DEFAULT_KEY_OPS = List.of("encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey");

    final String name;
    /** The directory (Entra tenant) the vault belongs to: only its tokens are accepted. */
    final String directory;

    final boolean softDelete;
    final boolean purgeProtection;
    final Map<String, EmulatedKey> keys = new ConcurrentHashMap<>();
    final Map<String, EmulatedKey> deletedKeys = new ConcurrentHashMap<>();
    private volatile Set<String> permissions = DEFAULT_PERMISSIONS;
    /** Public reports say Key Vault still wraps with a disabled key (a public-key operation) and refuses only the rest. */
    private volatile boolean disabledKeysWrap;

    private volatile Faults faults = Faults.NONE;
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
    private final Deque<Long> recentOps = new ArrayDeque<>();
    private int serverErrorsLeft;

    private final VaultStore store; // null: keys live in memory only

    EmulatedVault(String name, boolean softDelete, boolean purgeProtection) {
        this(name, Directories.DEFAULT_DIRECTORY, softDelete, purgeProtection, null);
    }

    /** A vault whose keys are loaded from and saved to {@code store} (a local stack that survives restarts). */
    EmulatedVault(String name, String directory, boolean softDelete, boolean purgeProtection, VaultStore store) {
        this.name = name;
        this.directory = directory;
        this.softDelete = softDelete;
        this.purgeProtection = purgeProtection;
        this.store = store;
        if (store != null) {
            store.load(keys, deletedKeys);
        }
    }

    private void saved() {
        if (store != null) {
            store.save(keys, deletedKeys);
        }
    }

    /** Key Vault's {@code recoveryLevel} for this vault's settings. */
    public String recoveryLevel() {
        if (!softDelete) {
            return "Purgeable";
        }
        return purgeProtection ? "Recoverable" : "Recoverable+Purgeable";
    }

    /** Whether wrapKey works with a disabled key version (unwrapKey and the rest are refused either way). */
    public boolean disabledKeysWrap() {
        return disabledKeysWrap;
    }

    public void setDisabledKeysWrap(boolean wraps) {
        disabledKeysWrap = wraps;
    }

    public Set<String> permissions() {
        return permissions;
    }

    public void setPermissions(Set<String> granted) {
        for (String p : granted) {
            if (!ALL_PERMISSIONS.contains(p)) {
                throw new IllegalArgumentException(
                        "unknown permission '" + p + "' (known: " + new java.util.TreeSet<>(ALL_PERMISSIONS) + ")");
            }
        }
        permissions = Set.copyOf(granted);
    }

    public Faults faults() {
        return faults;
    }

    public synchronized void setFaults(Faults newFaults) {
        faults = newFaults;
        serverErrorsLeft = newFaults.serverErrors();
        notifyAll();
    }

    /** Served operations by name ({@code wrapkey}, {@code unwrapkey}, {@code versions}, ...). */
    public Map<String, Long> counters() {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    public void resetCounters() {
        counters.clear();
    }

    void count(String operation) {
        counters.computeIfAbsent(operation, k -> new AtomicLong()).incrementAndGet();
    }

    /** Blocks a request while the vault is SILENT; returns when the fault is lifted (or after 10 minutes). */
    synchronized void awaitWhileSilent() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 600_000;
        while (faults.unreachable() == Faults.Unreachable.SILENT && System.currentTimeMillis() < deadline) {
            wait(1_000);
        }
    }

    /** Whether this request is one of the injected server errors. */
    synchronized boolean takeServerError() {
        if (serverErrorsLeft == -1) {
            return true;
        }
        if (serverErrorsLeft > 0) {
            serverErrorsLeft--;
            return true;
        }
        return false;
    }

    /** Applies the ops-per-10-s budget; returns the Retry-After seconds when over it, else 0. */
    synchronized int overBudget() {
        Integer budget = faults.opsPer10s();
        long now = System.currentTimeMillis();
        while (!recentOps.isEmpty() && recentOps.peekFirst() <= now - 10_000) {
            recentOps.pollFirst();
        }
        if (budget != null && recentOps.size() >= budget) {
            long wait = recentOps.peekFirst() + 10_000 - now;
            return (int) Math.max(1, (wait + 999) / 1000);
        }
        recentOps.addLast(now);
        return 0;
    }

    // ---- key management (admin principal) -------------------------------------------------

    /**
     * Creates the key, or a new version when it exists (as Key Vault's create does). The key pair is
     * generated before the vault's lock is taken: Key Vault creates keys side by side, and an RSA-3072
     * pair costs this process up to a second of CPU.
     */
    public String createKey(String keyName, String kty, int size, List<String> keyOps) {
        if (!"RSA".equals(kty) && !"RSA-HSM".equals(kty)) {
            throw KeyVaultError.badParameter("The emulator supports kty RSA and RSA-HSM, not " + kty);
        }
        if (size != 2048 && size != 3072 && size != 4096) {
            throw KeyVaultError.badParameter("key_size must be 2048, 3072 or 4096");
        }
        return addVersion(keyName, kty, size, generate(size), keyOps);
    }

    private synchronized String addVersion(
            String keyName, String kty, int size, java.security.KeyPair pair, List<String> keyOps) {
        if (deletedKeys.containsKey(keyName)) {
            throw new KeyVaultError(
                    409,
                    "Conflict",
                    "Key " + keyName + " is currently in a deleted but recoverable state.",
                    "ObjectIsDeletedButRecoverable",
                    null);
        }
        EmulatedKey key = keys.computeIfAbsent(keyName, EmulatedKey::new);
        KeyVersion version = new KeyVersion(
                UUID.randomUUID().toString().replace("-", ""),
                kty,
                size,
                pair,
                keyOps == null || keyOps.isEmpty() ? DEFAULT_KEY_OPS : keyOps);
        key.versions.add(version);
        saved();
        return version.version;
    }

    public String rotate(String keyName) {
        KeyVersion latest;
        synchronized (this) {
            latest = existing(keyName).latest();
        }
        return createKey(keyName, latest.kty, latest.size, latest.keyOps);
    }

    /** Updates one version's attributes; null arguments leave that attribute as it is. */
    public synchronized void update(
            String keyName, String version, Boolean enabled, Long notBefore, Long expires, List<String> keyOps) {
        KeyVersion v = existing(keyName)
                .version(version)
                .orElseThrow(() -> KeyVaultError.keyNotFound(keyName + "/" + version));
        if (enabled != null) {
            v.enabled = enabled;
        }
        if (notBefore != null) {
            v.notBefore = notBefore == 0 ? null : notBefore;
        }
        if (expires != null) {
            v.expires = expires == 0 ? null : expires;
        }
        if (keyOps != null) {
            v.keyOps = List.copyOf(keyOps);
        }
        v.updated = Instant.now().getEpochSecond();
        saved();
    }

    /** Deletes a key: soft-deleted (recoverable) when the vault has soft-delete, gone otherwise. */
    public synchronized EmulatedKey delete(String keyName) {
        EmulatedKey key = existing(keyName);
        keys.remove(keyName);
        key.deletedDate = Instant.now().getEpochSecond();
        if (softDelete) {
            deletedKeys.put(keyName, key);
        }
        saved();
        return key;
    }

    public synchronized EmulatedKey recover(String keyName) {
        EmulatedKey key = deletedKeys.remove(keyName);
        if (key == null) {
            throw new KeyVaultError(404, "DeletedKeyNotFound", "Deleted Key not found: " + keyName, null, null);
        }
        keys.put(keyName, key);
        saved();
        return key;
    }

    public synchronized void purge(String keyName) {
        if (purgeProtection) {
            throw KeyVaultError.forbidden(
                    "PurgeProtectionEnabled",
                    "Operation \"purge\" is not allowed because purge protection is enabled for this vault.");
        }
        if (deletedKeys.remove(keyName) == null) {
            throw new KeyVaultError(404, "DeletedKeyNotFound", "Deleted Key not found: " + keyName, null, null);
        }
        saved();
    }

    /** Whether the key exists (not deleted). */
    public boolean hasKey(String keyName) {
        return keys.containsKey(keyName);
    }

    EmulatedKey existing(String keyName) {
        EmulatedKey key = keys.get(keyName);
        if (key == null) {
            throw KeyVaultError.keyNotFound(keyName);
        }
        return key;
    }

    private static java.security.KeyPair generate(int size) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(size);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
