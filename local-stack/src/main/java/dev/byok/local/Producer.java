package dev.byok.local;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes sample activity events to the ingest topic at a steady rate.
 * <pre>--tenant ID (contoso) --rate EVENTS_PER_SECOND (10) --count N (0 = until Ctrl-C) --bootstrap HOST:PORT (localhost:9092)</pre>
 */
public final class Producer {
    private Producer() {
    }

    public static void main(String[] args) throws Exception {
        String tenant = "contoso";
        double rate = 10;
        long count = 0;
        String bootstrap = "localhost:9092";
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--tenant" -> tenant = value;
                case "--rate" -> rate = Double.parseDouble(value);
                case "--count" -> count = Long.parseLong(value);
                case "--bootstrap" -> bootstrap = value;
                default -> {
                    System.err.println("unknown option " + args[i] + "; options: --tenant ID --rate N --count N --bootstrap HOST:PORT");
                    System.exit(2);
                }
            }
        }
        if (rate <= 0) {
            throw new IllegalArgumentException("--rate must be positive");
        }
        String run = UUID.randomUUID().toString().substring(0, 8);
        long intervalNanos = (long) (1e9 / rate);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap, "acks", "all"),
                new StringSerializer(), new ByteArraySerializer())) {
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
}
