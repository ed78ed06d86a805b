package dev.byok.kafka;

import java.time.Duration;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/** The one way a loop that owns a KafkaConsumer on its own thread is stopped: wake the poll, then wait. */
public final class ConsumerThreads {
    private ConsumerThreads() {}

    /** Call after clearing the loop's running flag; {@code consumer} may still be null if the loop never started. */
    public static void wakeAndJoin(KafkaConsumer<?, ?> consumer, Thread thread, Duration timeout) {
        if (consumer != null) {
            consumer.wakeup();
        }
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
