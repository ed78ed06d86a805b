package dev.byok.ingest;

import dev.byok.service.KafkaTopics;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Starts this replica's {@link IngestLoop} with the application (group {@code byok.ingest.group-id}). */
@Startup
@ApplicationScoped
public class IngestConsumer {
    private final IngestLoop loop;

    IngestConsumer(KafkaTopics topics, DekManager deks, RecordRepository records,
                   @ConfigProperty(name = "byok.ingest.group-id", defaultValue = "crypto-service") String groupId) {
        this.loop = new IngestLoop(topics.bootstrapServers(), groupId, deks, records).start();
    }

    public boolean running() {
        return loop.running();
    }

    @PreDestroy
    void stop() {
        loop.close();
    }
}
