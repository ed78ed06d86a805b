package dev.byok.lockdown;

import dev.byok.model.EventCodec;
import dev.byok.model.LockStatus;
import dev.byok.model.TenantLockState;
import dev.byok.model.Topics;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Logger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The engine's writes to the lock-state topic: publishes states (counting and logging each change
 * of status), remembers what it sent so that it can tell its own records from anyone else's when
 * they come back ({@link OwnLockStates}). Used by the engine thread only.
 */
final class LockStatePublisher {
    private static final Logger LOG = Logger.getLogger(LockStatePublisher.class.getName());

    private final KafkaProducer<String, byte[]> producer;
    private final LockdownMetrics metrics;
    private final Map<String, LockStatus> lastPublished = new HashMap<>();
    private final OwnLockStates own = new OwnLockStates();

    LockStatePublisher(KafkaProducer<String, byte[]> producer, LockdownMetrics metrics) {
        this.producer = producer;
        this.metrics = metrics;
    }

    void publish(TenantLockState state) {
        send(state.tenantId(), EventCodec.encode(state));
        LockStatus before = lastPublished.put(state.tenantId(), state.status());
        if (before != state.status()) {
            metrics.transition(before == null ? LockStatus.HEALTHY : before, state.status());
            LOG.info("tenant " + state.tenantId() + " is " + state.status()
                    + state.failure().map(f -> " (" + f + ")").orElse(""));
        }
    }

    /** Removes the tenant's lock state from the topic (the engine holds none for it). */
    void tombstone(String tenantId) {
        send(tenantId, null);
    }

    /** A state taken over from the topic on assignment: already published, by a previous owner. */
    void restored(TenantLockState state) {
        lastPublished.put(state.tenantId(), state.status());
    }

    /** Whether a record read back from the topic is one this engine wrote. */
    boolean isOwn(String tenantId, byte[] value) {
        return own.readBack(tenantId, value);
    }

    void forget(Collection<String> tenantIds) {
        tenantIds.forEach(lastPublished::remove);
        own.forget(tenantIds);
    }

    void flush() {
        producer.flush();
    }

    private void send(String tenantId, byte[] value) {
        own.sent(tenantId, value);
        producer.send(new ProducerRecord<>(Topics.TENANT_LOCK_STATE, tenantId, value));
    }
}
