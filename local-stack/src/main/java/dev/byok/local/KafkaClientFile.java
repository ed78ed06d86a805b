package dev.byok.local;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * A Kafka client configuration as a properties file, the form Apache Kafka's console tools take
 * ({@code --producer.config}): the local stack writes one for the {@code producer} principal
 * (owner-only, it holds the password), and the producer and demo commands read it.
 */
public final class KafkaClientFile {
    private KafkaClientFile() {}

    /** Where a local stack with this data directory keeps the producer's client configuration. */
    public static Path producerFile(Path dataDir) {
        return dataDir.resolve("kafka/producer.properties");
    }

    static void write(Path file, Map<String, Object> client) throws IOException {
        StringBuilder text = new StringBuilder(
                "# Kafka client configuration of the producer principal (may write byok.activity.ingest only)\n");
        client.forEach((k, v) -> text.append(k)
                .append('=')
                .append(v.toString().replace("\\", "\\\\"))
                .append('\n'));
        StackFiles.writeSecret(file, text.toString());
    }

    public static Map<String, Object> read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file
                    + " does not exist: start the stack first (./run-local.sh), or name the file with --kafka-config");
        }
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
        Map<String, Object> client = new LinkedHashMap<>();
        properties.stringPropertyNames().forEach(k -> client.put(k, properties.getProperty(k)));
        return client;
    }
}
