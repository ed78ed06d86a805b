package dev.byok.testsupport;

import java.nio.file.Path;
import java.util.Optional;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The Kafka that this JVM's tests use, started once and shared by every test class of a module.
 * <ul>
 *   <li>{@code BYOK_TEST_KAFKA_BOOTSTRAP_SERVERS} set: that external broker;</li>
 *   <li>{@code -Dbyok.test.kafka=testcontainers} (needs a Docker engine): a Kafka container of the
 *       same version as the clients;</li>
 *   <li>otherwise: an {@link EmbeddedKafkaBroker} in this JVM.</li>
 * </ul>
 */
public final class KafkaEndpoint {
    static final String CONTAINER_IMAGE = "apache/kafka:4.1.2";
    private static String bootstrapServers;

    private KafkaEndpoint() {
    }

    public static synchronized String bootstrapServers() {
        if (bootstrapServers == null) {
            bootstrapServers = start();
        }
        return bootstrapServers;
    }

    private static String start() {
        QuietLogs.apply();
        Optional<String> external = Optional.ofNullable(System.getenv("BYOK_TEST_KAFKA_BOOTSTRAP_SERVERS")).filter(s -> !s.isBlank());
        if (external.isPresent()) {
            return external.get();
        }
        if ("testcontainers".equals(System.getProperty("byok.test.kafka"))) {
            KafkaContainer container = new KafkaContainer(DockerImageName.parse(CONTAINER_IMAGE));
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "kafka-container-stop"));
            return container.getBootstrapServers();
        }
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(Path.of(System.getProperty("java.io.tmpdir")));
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "embedded-kafka-stop"));
        return broker.bootstrapServers();
    }
}
