package dev.byok.local;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes sample activity events to the ingest topic at a steady rate, as the {@code producer}
 * principal (the client configuration the local stack writes; any Kafka client file works).
 * <pre>--tenant ID (contoso) --rate EVENTS_PER_SECOND (10) --count N (0 = until Ctrl-C) --kafka-config FILE (.byok/local/kafka/producer.properties)</pre>
 */
public final class Producer {
    private static final String USAGE = "options: --tenant ID --rate EVENTS_PER_SECOND --count N --kafka-config FILE";

    private Producer() {
    }

    public static void main(String[] args) throws Exception {
        String tenant = "contoso";
        double rate = 10;
        long count = 0;
        Path config = KafkaClientFile.producerFile(LocalStack.repositoryRoot().resolve(".byok/local"));
        try {
            for (int i = 0; i < args.length; i += 2) {
                String value = i + 1 < args.length ? args[i + 1] : "";
                switch (args[i]) {
                    case "--tenant" -> tenant = value;
                    case "--rate" -> rate = Double.parseDouble(value);
                    case "--count" -> count = Long.parseLong(value);
                    case "--kafka-config" -> config = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + "; " + USAGE);
                }
            }
            if (!(rate > 0) || count < 0) {
                throw new IllegalArgumentException("--rate must be positive and --count not negative; " + USAGE);
            }
        } catch (NumberFormatException e) {
            usage("not a number: " + e.getMessage() + "; " + USAGE);
        } catch (IllegalArgumentException e) {
            usage(e.getMessage());
        }
        Map<String, Object> client;
        try {
            client = new HashMap<>(KafkaClientFile.read(config));
        } catch (IllegalArgumentException e) {
            usage(e.getMessage());
            return;
        }
        client.put("acks", "all");
        String run = UUID.randomUUID().toString().substring(0, 8);
        long intervalNanos = (long) (1e9 / rate);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(client, new StringSerializer(), new ByteArraySerializer())) {
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
    }

    private static void usage(String line) {
        System.err.println(line);
        System.exit(2);
    }
}
