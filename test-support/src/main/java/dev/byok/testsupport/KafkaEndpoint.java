package dev.byok.testsupport;

import dev.byok.infra.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The Kafka that this JVM's tests use: one {@link EmbeddedKafkaBroker} (SASL over TLS, ACLs,
 * provisioned topics), started once and shared by every test class of a module. Tests act as a
 * service by taking that service's {@link #clientProperties credentials}, and use the super user
 * only to set up and observe.
 */
public final class KafkaEndpoint {
    private static final String RUNNING = "byok.test.kafka.running";
    private static EmbeddedKafkaBroker broker;

    private KafkaEndpoint() {}

    public static synchronized EmbeddedKafkaBroker broker() {
        if (broker == null) {
            // Quarkus loads this class again for each application it starts; the broker is one per JVM
            String running = System.getProperty(RUNNING);
            if (running != null) {
                String[] portAndDirectory = running.split("\\|", 2);
                broker =
                        EmbeddedKafkaBroker.attach(Path.of(portAndDirectory[1]), Integer.parseInt(portAndDirectory[0]));
            } else {
                QuietLogs.apply();
                broker = EmbeddedKafkaBroker.start(Path.of(System.getProperty("java.io.tmpdir")));
                Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "embedded-kafka-stop"));
                System.setProperty(RUNNING, broker.port() + "|" + broker.directory());
            }
        }
        return broker;
    }

    public static String bootstrapServers() {
        return broker().bootstrapServers();
    }

    /** The full client configuration of a {@link dev.byok.model.KafkaAccess} principal. */
    public static Map<String, Object> clientProperties(String principal) {
        return broker().clientProperties(principal);
    }

    /** The super user's client configuration: test set-up and observation only. */
    public static Map<String, Object> admin() {
        return broker().clientProperties(EmbeddedKafkaBroker.ADMIN);
    }

    /** The super user's client configuration plus {@code extra} (group id, acks, ...). */
    public static Map<String, Object> admin(Map<String, ?> extra) {
        Map<String, Object> props = new HashMap<>(admin());
        props.putAll(extra);
        return props;
    }
}
