package dev.byok.ingest;

import dev.byok.store.RecordRepository;

import dev.byok.service.KafkaClients;
import dev.byok.service.LiveLoop;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Starts this replica's {@link IngestLoop} with the application (group {@code byok.ingest.group-id});
 * metrics {@code byok_ingest_stored_total} and {@code byok_ingest_dlq_total{rules}}.
 */
@Startup
@ApplicationScoped
public class IngestConsumer implements LiveLoop {
    private final IngestLoop loop;

    IngestConsumer(KafkaClients kafka, DekManager deks, RecordRepository records, MeterRegistry registry,
                   @ConfigProperty(name = "byok.ingest.group-id", defaultValue = "crypto-service") String groupId) {
        Counter stored = Counter.builder("byok.ingest.stored").description("activity events sealed and stored").register(registry);
        IngestMetrics metrics = new IngestMetrics() {
            @Override
            public void stored(int events) {
                stored.increment(events);
            }

            @Override
            public void rejected(String rules) {
                Counter.builder("byok.ingest.dlq").description("records sent to the dead-letter topic, by violated rules")
                        .tag("rules", rules).register(registry).increment();
            }
        };
        this.loop = new IngestLoop(kafka.config(), groupId, deks, records, metrics).start();
    }

    @Override
    public String loopName() {
        return "ingest";
    }

    @Override
    public boolean alive() {
        return loop.running();
    }

    @PreDestroy
    void stop() {
        loop.close();
    }
}
