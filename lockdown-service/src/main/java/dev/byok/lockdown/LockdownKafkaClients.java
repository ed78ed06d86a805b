package dev.byok.lockdown;

import dev.byok.kafka.KafkaClientConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;

/** The engine's Kafka clients: a group consumer with range assignment (co-partitioning) and an idempotent producer. */
final class LockdownKafkaClients {
    private LockdownKafkaClients() {}

    static KafkaConsumer<String, byte[]> consumer(KafkaClientConfig kafka, String groupId) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName()); // co-partitioning
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        // a replica that dies (kill -9, node loss) hands its tenants over after 10 s, not Kafka's default 45 s:
        // their lock deadlines are then kept to within seconds (MultiReplicaIT measured 43 s late with the default)
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "3000");
        return kafka.consumer(groupId, p);
    }

    static KafkaProducer<String, byte[]> producer(KafkaClientConfig kafka) {
        return kafka.producer(Map.of(
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                "true",
                ProducerConfig.LINGER_MS_CONFIG,
                "5"));
    }
}
