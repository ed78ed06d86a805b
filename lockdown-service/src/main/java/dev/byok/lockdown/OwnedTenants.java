package dev.byok.lockdown;

import dev.byok.model.LockStatus;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/** The tenants one engine replica owns, grouped by the partition number that gives it ownership. */
final class OwnedTenants {
    private final Duration grace;
    private final Map<Integer, Map<String, TenantHealth>> byPartition = new HashMap<>();

    OwnedTenants(Duration grace) {
        this.grace = grace;
    }

    void own(int partition) {
        byPartition.putIfAbsent(partition, new HashMap<>());
    }

    /** Forgets the partitions' tenants; returns their ids. */
    Set<String> release(Collection<Integer> partitions) {
        return partitions.stream()
                .map(byPartition::remove)
                .filter(t -> t != null)
                .flatMap(t -> t.keySet().stream())
                .collect(Collectors.toSet());
    }

    /** The tenant's state machine, created on first sight, or null when the partition is not owned. */
    TenantHealth tenant(int partition, String tenantId) {
        Map<String, TenantHealth> tenants = byPartition.get(partition);
        if (tenantId == null || tenants == null) {
            return null;
        }
        return tenants.computeIfAbsent(tenantId, t -> new TenantHealth(t, grace));
    }

    TenantHealth find(String tenantId) {
        for (Map<String, TenantHealth> tenants : byPartition.values()) {
            TenantHealth health = tenants.get(tenantId);
            if (health != null) {
                return health;
            }
        }
        return null;
    }

    void forEach(BiConsumer<String, TenantHealth> action) {
        byPartition.values().forEach(tenants -> tenants.forEach(action));
    }

    void forEachIn(int partition, BiConsumer<String, TenantHealth> action) {
        byPartition.getOrDefault(partition, Map.of()).forEach(action);
    }

    Set<Integer> partitions() {
        return Set.copyOf(byPartition.keySet());
    }

    Set<String> tenantIds() {
        return byPartition.values().stream().flatMap(t -> t.keySet().stream()).collect(Collectors.toUnmodifiableSet());
    }

    /** BYOK tenants by status, for the gauges. */
    Map<LockStatus, Long> countByStatus() {
        Map<LockStatus, Long> counts = new EnumMap<>(LockStatus.class);
        for (LockStatus s : LockStatus.values()) {
            counts.put(s, 0L);
        }
        forEach((id, h) -> {
            if (h.byokEnabled()) {
                counts.merge(h.status(), 1L, Long::sum);
            }
        });
        return counts;
    }
}
