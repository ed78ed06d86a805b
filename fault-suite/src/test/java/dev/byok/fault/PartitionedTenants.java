package dev.byok.fault;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Utils;

/** Tenant ids that spread over every partition of a topic, by Kafka's own key hashing. */
final class PartitionedTenants {
    private PartitionedTenants() {}

    /** One tenant per partition ({@code prefix-i-run}): every consumer of the topic gets work. */
    static List<String> oneOnEach(int partitions, String prefix, String run) {
        Map<Integer, String> byPartition = new HashMap<>();
        for (int i = 0; byPartition.size() < partitions; i++) {
            String tenant = prefix + "-" + i + "-" + run;
            byPartition.putIfAbsent(
                    Utils.toPositive(Utils.murmur2(tenant.getBytes(StandardCharsets.UTF_8))) % partitions, tenant);
        }
        return List.copyOf(byPartition.values());
    }
}
