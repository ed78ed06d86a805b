package dev.byok.local;

import dev.byok.cli.Cli;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Publishes sample activity events to the ingest topic at a steady rate, as the {@code producer}
 * principal (the client configuration the local stack writes; any Kafka client file works).
 */
@Command(
        name = "producer",
        mixinStandardHelpOptions = true,
        description = "Publishes sample activity events to byok.activity.ingest.")
public final class Producer implements Callable<Integer> {
    @Option(
            names = "--tenant",
            paramLabel = "ID",
            defaultValue = "contoso",
            description = "the events' tenant (default: ${DEFAULT-VALUE})")
    String tenant;

    @Option(
            names = "--rate",
            paramLabel = "EVENTS_PER_SECOND",
            defaultValue = "10",
            description = "events per second (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(
            names = "--count",
            paramLabel = "N",
            defaultValue = "0",
            description = "events to publish; 0 = until Ctrl-C (default: ${DEFAULT-VALUE})")
    long count;

    @Option(
            names = "--kafka-config",
            paramLabel = "FILE",
            description = "Kafka client properties with the producer's login"
                    + " (default: the local stack's .byok/local/kafka/producer.properties)")
    Path config;

    public static void main(String[] args) {
        Cli.run(new Producer(), args);
    }

    @Override
    public Integer call() throws InterruptedException {
        if (!(rate > 0) || count < 0) {
            throw new IllegalArgumentException("--rate must be positive and --count not negative");
        }
        Path file = config != null
                ? config
                : KafkaClientFile.producerFile(LocalStack.repositoryRoot().resolve(".byok/local"));
        Map<String, Object> client =
                new HashMap<>(KafkaClientFile.read(file)); // a missing or unreadable file: one line, exit 2
        client.put("acks", "all");
        String run = UUID.randomUUID().toString().substring(0, 8);
        long intervalNanos = (long) (1e9 / rate);
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(client, new StringSerializer(), new ByteArraySerializer())) {
            long next = System.nanoTime();
            for (long n = 0; count == 0 || n < count; n++) {
                producer.send(SampleEvents.event(tenant, run + "-" + n, n));
                if ((n + 1) % 100 == 0) {
                    System.out.printf("%d events published for %s%n", n + 1, tenant);
                }
                next += intervalNanos;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait); // the requested rate
                }
            }
            producer.flush();
            System.out.printf("%d events published for %s%n", count, tenant);
        }
        return 0;
    }
}
