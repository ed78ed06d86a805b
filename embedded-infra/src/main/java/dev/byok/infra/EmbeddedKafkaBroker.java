package dev.byok.infra;

import dev.byok.model.KafkaAccess;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Apache Kafka broker (KRaft: broker and controller in one process), started
 * in this JVM from the Maven artifacts, secured as production Kafka is: every listener is SASL over
 * TLS (clients SCRAM-SHA-512, the controller PLAIN with a broker-only user), the KRaft
 * {@code StandardAuthorizer} refuses whatever no ACL allows, and {@link KafkaProvisioning} gives
 * each {@link KafkaAccess} principal its SCRAM credential and ACLs and creates the topics. The
 * super user {@value #ADMIN} is the operator's (and tests') identity. It must be the same Kafka
 * version as the kafka-clients on the classpath (the parent POM keeps them equal).
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    public static final String ADMIN = "admin";
    static final String SCRAM = "SCRAM-SHA-512";
    private static final int FIRST_PORT = 20_000;
    private static final int PORTS = 12_000;
    private static final Random RANDOM = new Random();
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private final Path directory;
    private final int port;
    private final BrokerTls tls;
    private final KafkaCredentials credentials;
    private final KafkaRaftServer server; // null for a handle on a broker another class loader started

    private EmbeddedKafkaBroker(
            Path directory, int port, BrokerTls tls, KafkaCredentials credentials, KafkaRaftServer server) {
        this.directory = directory;
        this.port = port;
        this.tls = tls;
        this.credentials = credentials;
        this.server = server;
    }

    /** Starts a fresh broker in a new directory under {@code parent} on free ports. */
    public static EmbeddedKafkaBroker start(Path parent) {
        try {
            Files.createDirectories(parent);
            return start(Files.createTempDirectory(parent, "kafka-"), freePort(), freePort());
        } catch (IOException e) {
            throw new IllegalStateException("could not start the embedded Kafka broker", e);
        }
    }

    /**
     * Starts the broker on these ports with its log, TLS identity and passwords under
     * {@code directory}, formatting the log only the first time: a local stack's topics, offsets,
     * users and ACLs survive a restart. Provisions users, ACLs and topics before returning.
     */
    public static EmbeddedKafkaBroker start(Path directory, int port, int controllerPort) {
        try {
            Path logDir = directory.resolve("log");
            Files.createDirectories(logDir);
            KafkaCredentials credentials = KafkaCredentials.in(directory.resolve("credentials"));
            BrokerTls tls = BrokerTls.loadOrCreate(directory.resolve("tls"));
            Properties props = brokerProperties(logDir, port, controllerPort, tls, credentials.password(ADMIN));
            if (!Files.exists(logDir.resolve("meta.properties"))) { // formatted once; its cluster id must stay
                format(logDir, credentials.password(ADMIN));
            }
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
            EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(directory, port, tls, credentials, server);
            KafkaProvisioning.apply(broker);
            return broker;
        } catch (Exception e) {
            throw new IllegalStateException("could not start the embedded Kafka broker", e);
        }
    }

    /**
     * A handle on a broker already running in this JVM (started by a copy of this class in another
     * class loader, as Quarkus tests load one per application): its clients, never its lifecycle.
     */
    public static EmbeddedKafkaBroker attach(Path directory, int port) {
        try {
            return new EmbeddedKafkaBroker(
                    directory,
                    port,
                    BrokerTls.loadOrCreate(directory.resolve("tls")),
                    KafkaCredentials.in(directory.resolve("credentials")),
                    null);
        } catch (Exception e) {
            throw new IllegalStateException("could not attach to the embedded Kafka broker in " + directory, e);
        }
    }

    public int port() {
        return port;
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    /**
     * The complete client configuration of {@code user} (a {@link KafkaAccess} principal or
     * {@value #ADMIN}): SASL_SSL, SCRAM-SHA-512, the broker's certificate as the only trust anchor.
     */
    public Map<String, Object> clientProperties(String user) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("bootstrap.servers", bootstrapServers());
        p.put("security.protocol", "SASL_SSL");
        p.put("sasl.mechanism", SCRAM);
        p.put("sasl.jaas.config", scramLogin(user, credentials.password(user)));
        p.put("ssl.truststore.type", "PEM");
        p.put("ssl.truststore.location", tls.certificate().toString());
        return p;
    }

    public String password(String user) {
        return credentials.password(user);
    }

    public Path directory() {
        return directory;
    }

    @Override
    public void close() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
        }
    }

    private static Properties brokerProperties(
            Path logDir, int port, int controllerPort, BrokerTls tls, String adminPassword) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        p.put("listeners", "CLIENTS://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        p.put("advertised.listeners", "CLIENTS://localhost:" + port);
        p.put("listener.security.protocol.map", "CLIENTS:SASL_SSL,CONTROLLER:SASL_SSL");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "CLIENTS");
        // clients and the broker itself: SCRAM (credentials live in the metadata log; admin's is formatted in)
        p.put("listener.name.clients.sasl.enabled.mechanisms", SCRAM);
        p.put("sasl.mechanism.inter.broker.protocol", SCRAM);
        p.put("listener.name.clients.scram-sha-512.sasl.jaas.config", scramLogin(ADMIN, adminPassword));
        // the controller cannot use SCRAM (it serves the log that holds the credentials): PLAIN with one static user
        p.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
        p.put("sasl.mechanism.controller.protocol", "PLAIN");
        p.put(
                "listener.name.controller.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + ADMIN
                        + "\" password=\"" + adminPassword + "\" user_" + ADMIN + "=\"" + adminPassword + "\";");
        p.putAll(tls.brokerProperties());
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("super.users", "User:" + ADMIN);
        p.put("allow.everyone.if.no.acl.found", "false");
        p.put("auto.create.topics.enable", "false");
        p.put("log.dirs", logDir.toString());
        // one node: every internal topic must fit on it, or consumer groups never form
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.partitions", "4");
        p.put("log.flush.interval.messages", "1000000");
        return p;
    }

    private static String scramLogin(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
                + password + "\";";
    }

    private static void format(Path logDir, String adminPassword) throws Exception {
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(1)
                .setClusterId(Uuid.randomUuid().toString())
                .setDirectories(List.of(logDir.toString()))
                .setReleaseVersion(MetadataVersion.latestProduction())
                .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                .setControllerListenerName("CONTROLLER")
                .setScramArguments(List.of(SCRAM + "=[name=" + ADMIN + ",password=" + adminPassword + "]"))
                .setIgnoreFormatted(true)
                .run();
    }

    /**
     * A port free now, for a server that will bind it a little later. Drawn from {@value #FIRST_PORT} up,
     * below Linux's ephemeral range (32768 and up), so an outgoing connection cannot take it in the
     * meantime (binding port 0 picked from that range, and a stack once lost its emulator port to a
     * client connection); never the same port twice in one JVM.
     */
    public static int freePort() throws IOException {
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port = FIRST_PORT + RANDOM.nextInt(PORTS);
            if (!HANDED_OUT.add(port)) {
                continue; // never the same port twice in one JVM: a stack takes several before binding any
            }
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(port)); // every address, as the services bind
                return port;
            } catch (IOException busy) {
                // taken: try another
            }
        }
        throw new IOException("no free port in " + FIRST_PORT + "-" + (FIRST_PORT + PORTS - 1));
    }
}
