package dev.byok.local;

import static org.awaitility.Awaitility.await;

import dev.byok.model.Topics;
import dev.byok.testsupport.MachineInfo;
import dev.byok.testsupport.Samples;
import dev.byok.testsupport.TopicClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Ingest end to end with every part in its own process: the broker, PostgreSQL and the emulator in
 * this JVM (the run command's {@link RunningStack}), the packaged crypto-service (and the other
 * services, idle) as the run command starts them, and a producer ({@link BurstProducer}) and a plain
 * consumer ({@link ConsumeRate}) each in a JVM of their own. Not a test (its name matches no test
 * pattern): run it with the command in docs/benchmarks.md.
 *
 * <p>Each round publishes {@code bench.events} ~1 KB events for the same {@code bench.tenants} tenants
 * (the warm-up round creates their keys and first DEKs) and times events/s from the producer's first send to crypto-service's {@code byok_ingest_stored}
 * counter having risen by all of them; next to it, the producer's own rate (first send to flush) and
 * a plain consumer reading the same events from the same offsets. One warm-up round is printed and
 * not counted.
 */
class EndToEndThroughputBenchmark {
    private static final int EVENTS = Integer.getInteger("bench.events", 100_000);
    private static final int TENANTS = Integer.getInteger("bench.tenants", 20);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
    private static final Pattern STORED = Pattern.compile("(?m)^byok_ingest_stored_total ([0-9.E+-]+)$");

    private static RunningStack stack;
    private static Path data;

    @BeforeAll
    static void start() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent();
        data = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "bench-stack-");
        stack = RunningStack.start(
                StackOptions.defaults(root).withDataDir(data).withPorts(StackPorts.free()), line -> {});
        KafkaClientFile.write(data.resolve("kafka/admin.properties"), stack.kafkaClient("admin"));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void separateProcesses_producerToStoredRows_nextToKafkasOwnRates() throws Exception {
        Samples endToEnd = new Samples("end to end: first send to last row stored", "events/s");
        Samples produce = new Samples("Kafka producer alone: first send to flush", "events/s");
        Samples consume = new Samples("Kafka consumer alone: the same events", "events/s");
        System.out.printf(
                "%nEnd-to-end benchmark: %,d events of ~1 KB per round for %d tenants, %d rounds after a warm-up round%n"
                        + "  test JVM (broker, PostgreSQL, emulator): %s%n",
                EVENTS, TENANTS, ROUNDS, MachineInfo.describe());
        String tenants = "e2e-" + UUID.randomUUID().toString().substring(0, 6);
        for (int round = 0; round <= ROUNDS; round++) {
            Map<TopicPartition, Long> offsets =
                    TopicClient.endOffsets(stack.kafkaClient("admin"), Topics.ACTIVITY_INGEST);
            double storedBefore = stored();
            String run = UUID.randomUUID().toString().substring(0, 6);
            String out = java(
                    BurstProducer.class,
                    KafkaClientFile.producerFile(data).toString(),
                    tenants,
                    run,
                    Integer.toString(TENANTS),
                    Integer.toString(EVENTS));
            long firstSend = value(out, "first-send-ms");
            double produced = EVENTS / (value(out, "nanos") / 1e9);
            await().atMost(Duration.ofMinutes(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> stored() - storedBefore >= EVENTS);
            double stored = EVENTS / ((System.currentTimeMillis() - firstSend) / 1e3);
            String positions = offsets.entrySet().stream()
                    .map(e -> e.getKey().partition() + "=" + e.getValue())
                    .collect(Collectors.joining(","));
            String consumed = java(
                    ConsumeRate.class,
                    data.resolve("kafka/admin.properties").toString(),
                    Integer.toString(EVENTS),
                    positions);
            double read = EVENTS / (value(consumed, "nanos") / 1e9);
            System.out.printf(
                    "  round %d%s: end to end %,.0f, produce %,.0f, consume %,.0f events/s (%.3f of produce, %.3f of consume)%n",
                    round, round == 0 ? " (warm-up)" : "", stored, produced, read, stored / produced, stored / read);
            if (round > 0) {
                endToEnd.add(stored);
                produce.add(produced);
                consume.add(read);
            }
        }
        for (Samples s : List.of(endToEnd, produce, consume)) {
            System.out.println("    " + s.line());
        }
        System.out.println(
                "    " + endToEnd.over(produce, "end to end / produce").line());
        System.out.println(
                "    " + endToEnd.over(consume, "end to end / consume").line());
    }

    /** Runs the class's main in its own JVM on this classpath; returns its output. */
    private static String java(Class<?> main, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                main.getName()));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(data, main.getSimpleName(), ".log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(main.getSimpleName() + " failed: " + Files.readString(log));
        }
        return Files.readString(log);
    }

    private static long value(String output, String name) {
        Matcher m = Pattern.compile(name + "=([0-9]+)").matcher(output);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in: " + output);
        }
        return Long.parseLong(m.group(1));
    }

    /** crypto-service's own count of stored events, from its management port. */
    private static double stored() throws IOException, InterruptedException {
        HttpResponse<String> metrics = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(
                                        "http://localhost:" + stack.managementPort("crypto-service") + "/q/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        Matcher m = STORED.matcher(metrics.body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
