package dev.byok.ingest;

import static org.awaitility.Awaitility.await;

import dev.byok.crypto.TenantKey;
import dev.byok.emulator.EmulatorAdminClient;
import dev.byok.kms.KeyVersionId;
import dev.byok.model.ActivityEvent;
import dev.byok.model.ActivityEventParser;
import dev.byok.model.EventCodec;
import dev.byok.model.KeyConfigEvent;
import dev.byok.model.Topics;
import dev.byok.store.KeyConfigs;
import dev.byok.store.RecordRepository;
import dev.byok.store.TenantKeyStore;
import dev.byok.testsupport.JwtTestResource;
import dev.byok.testsupport.KafkaEndpoint;
import dev.byok.testsupport.KafkaTestResource;
import dev.byok.testsupport.KeyVaultEmulatorEndpoint;
import dev.byok.testsupport.KeyVaultEmulatorTestResource;
import dev.byok.testsupport.MachineInfo;
import dev.byok.testsupport.PostgresTestResource;
import dev.byok.testsupport.Samples;
import dev.byok.testsupport.TopicClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.ChannelRegistry;
import io.smallrye.reactive.messaging.PausableChannel;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Ingest throughput of the encrypted pipeline against a plaintext baseline ({@link PlaintextBaseline})
 * and two ceilings, storage ({@link CopyCeiling}) and Kafka ({@link ConsumeCeiling}), through the real
 * broker into the real PostgreSQL.
 * Not a test (its name matches no test pattern): run it with the command in docs/benchmarks.md.
 *
 * <p>After one warm-up round (reported, not counted), each of {@code bench.rounds} rounds takes
 * {@code bench.tenants} fresh tenants (half with a customer key) and runs two passes of
 * {@code bench.events} ~1 KB events: <em>cold</em> (the tenants' first DEKs, their tenant keys created
 * just before and timed apart: {@link #onboard}) with the encrypted
 * pipeline and the baseline, then <em>steady</em> (the same tenants again) with all four. The order
 * alternates between rounds. It prints every round, then the median and range of each figure and ratio.
 */
@QuarkusTest
@TestProfile(IngestThroughputBenchmark.PausedIngest.class)
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(KeyVaultEmulatorTestResource.class)
@QuarkusTestResource(JwtTestResource.class)
class IngestThroughputBenchmark {
    /**
     * Events per pass: 150,000 (~3 s at the ceiling). With 50,000 a pass's fixed start (a reader's
     * group join and TLS login, the channel's resume) was a third of the Kafka ceiling's time.
     */
    private static final int EVENTS = Integer.getInteger("bench.events", 150_000);

    private static final int TENANTS = Integer.getInteger("bench.tenants", 20);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 5);

    /** The ingest channel starts paused: each pass resumes it once its events are all in the topic. */
    public static class PausedIngest implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new java.util.HashMap<>(Map.of(
                    "mp.messaging.incoming.ingest.pausable",
                    "true",
                    "mp.messaging.incoming.ingest.pausable.initially-paused",
                    "true"));
            String batch = System.getProperty("bench.batch");
            if (batch != null) { // try another batch size without changing the product's
                overrides.put("mp.messaging.incoming.ingest.max.poll.records", batch);
            }
            return overrides;
        }
    }

    @Inject
    Pool pool;

    @Inject
    MeterRegistry meters;

    @Inject
    ChannelRegistry channels;

    @Inject
    KeyConfigs keyConfigs;

    @Inject
    RecordRepository records;

    @Inject
    TenantKeyStore tenantKeys;

    private final Samples onboarding = new Samples("onboarding: tenant keys created", "tenants/s");
    private final Samples coldEncrypted = new Samples("cold: encrypted pipeline", "events/s");
    private final Samples coldBaseline = new Samples("cold: plaintext baseline", "events/s");
    private final SteadyPipeline encrypted = new SteadyPipeline("encrypted pipeline", "enc", "events/s");
    private final SteadyPipeline baseline = new SteadyPipeline("plaintext baseline", "base", "events/s");
    private final SteadyPipeline ceiling = new SteadyPipeline("binary COPY ceiling", "COPY", "rows/s");
    private final SteadyPipeline consumed = new SteadyPipeline("Kafka consume ceiling", "consume", "records/s");
    private long steadyKeyVaultCalls;

    @Test
    void encryptedIngest_vsBaselineAndCeiling() throws Exception {
        EmulatorAdminClient admin =
                new EmulatorAdminClient(KeyVaultEmulatorEndpoint.emulator().adminUri());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                KafkaEndpoint.admin(Map.of("linger.ms", 20, "batch.size", 262_144)),
                new StringSerializer(),
                new ByteArraySerializer())) {
            System.out.printf(
                    "%nIngest benchmark: %,d events of ~1 KB per pass, %d fresh tenants per round (half BYOK), %d rounds"
                            + " after a warm-up round%n  %s%n",
                    EVENTS, TENANTS, ROUNDS, MachineInfo.describe());
            for (int round = 0; round <= ROUNDS; round++) {
                round(admin, producer, round);
            }
        }
        System.out.println("  distributions over the rounds after warm-up:");
        for (Samples s : List.of(onboarding, coldEncrypted, coldBaseline)) {
            System.out.println("    " + s.line());
        }
        for (SteadyPipeline p : List.of(encrypted, baseline, ceiling, consumed)) {
            p.distributions().forEach(s -> System.out.println("    " + s.line()));
        }
        System.out.println("    "
                + coldEncrypted.over(coldBaseline, "cold: encrypted / baseline").line());
        System.out.println("    "
                + encrypted
                        .rate
                        .over(baseline.rate, "steady: encrypted / baseline")
                        .lineAgainst(0.97));
        System.out.println("    "
                + encrypted
                        .rate
                        .over(ceiling.rate, "steady: encrypted / COPY ceiling")
                        .lineAgainst(0.8));
        System.out.println("    "
                + baseline.rate
                        .over(ceiling.rate, "steady: baseline / COPY ceiling")
                        .line());
        System.out.println("    "
                + encrypted
                        .rate
                        .over(consumed.rate, "steady: encrypted / Kafka consume ceiling")
                        .line());
        System.out.printf(
                "  Key Vault calls in steady passes: %d (%.1f per 10^6 events)%n  peak RSS of this JVM: %s%n",
                steadyKeyVaultCalls, steadyKeyVaultCalls * 1e6 / (EVENTS * (double) ROUNDS), MachineInfo.peakRss());
    }

    /** Round 0 is the warm-up: printed, not counted. Even rounds run the encrypted pipeline first, odd ones last. */
    private void round(EmulatorAdminClient admin, KafkaProducer<String, byte[]> producer, int round) throws Exception {
        boolean encryptedFirst = round % 2 == 0;
        Set<String> tenants = tenants(admin, producer);
        double onboarded = onboard(tenants);

        Pass cold = publish(producer, tenants);
        admin.resetCounters(KeyVaultEmulatorEndpoint.VAULT);
        double coldBase = encryptedFirst ? 0 : baseline(tenants, cold.offsets());
        double coldEnc = encrypted(tenants, cold.events().size());
        long coldCalls = keyVaultCalls(admin);
        coldBase = encryptedFirst ? baseline(tenants, cold.offsets()) : coldBase;

        Pass steady = publish(producer, tenants);
        admin.resetCounters(KeyVaultEmulatorEndpoint.VAULT);
        Map<SteadyPipeline, Callable<Double>> passes = new LinkedHashMap<>();
        passes.put(encrypted, () -> encrypted(tenants, steady.events().size()));
        passes.put(baseline, () -> baseline(tenants, steady.offsets()));
        passes.put(ceiling, () -> new CopyCeiling(ConfigProvider.getConfig()).run(steady.events(), steady.values()));
        passes.put(consumed, () -> new ConsumeCeiling(batch()).run(tenants, steady.offsets(), EVENTS));
        List<SteadyPipeline> order = new ArrayList<>(passes.keySet());
        if (!encryptedFirst) {
            Collections.reverse(order);
        }
        Map<SteadyPipeline, SteadyPipeline.Measured> measured = new LinkedHashMap<>();
        for (SteadyPipeline p : order) {
            measured.put(p, p.measure(passes.get(p)));
        }
        long steadyCalls = keyVaultCalls(admin);
        double enc = measured.get(encrypted).rate();
        System.out.printf(
                "  round %d%s (%s): %.1f tenant keys/s; cold enc %,.0f / base %,.0f = %.3f, %d Key Vault calls;"
                        + " steady %s: enc/base %.3f, enc/COPY %.3f, %d calls%n",
                round,
                round == 0 ? " (warm-up)" : "",
                encryptedFirst ? "encrypted first" : "encrypted last",
                onboarded,
                coldEnc,
                coldBase,
                coldEnc / coldBase,
                coldCalls,
                passes.keySet().stream().map(p -> p.brief(measured.get(p))).collect(Collectors.joining(", ")),
                enc / measured.get(baseline).rate(),
                enc / measured.get(ceiling).rate(),
                steadyCalls);
        if (round > 0) {
            onboarding.add(onboarded);
            coldEncrypted.add(coldEnc);
            coldBaseline.add(coldBase);
            measured.forEach((p, m) -> p.add(m));
            steadyKeyVaultCalls += steadyCalls;
        }
    }

    /** Fresh tenants, half of them with a customer key enabled (seen by crypto-service before returning). */
    private Set<String> tenants(EmulatorAdminClient admin, KafkaProducer<String, byte[]> producer) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        Set<String> tenants = new LinkedHashSet<>();
        for (int t = 0; t < TENANTS; t++) {
            String tenant = "bench-" + run + "-" + t;
            tenants.add(tenant);
            if (t % 2 == 0) {
                KeyVersionId key =
                        KeyVersionId.parse(admin.createKey(KeyVaultEmulatorEndpoint.VAULT, tenant, "RSA", 2048));
                producer.send(new ProducerRecord<>(
                                Topics.TENANT_KEY_CONFIG,
                                tenant,
                                EventCodec.encode(new KeyConfigEvent.KeyEnabled(
                                        tenant, 1, Instant.now(), key.key().toString(), key.toString()))))
                        .get();
            }
        }
        await().atMost(Duration.ofMinutes(1))
                .until(() -> tenants.stream()
                                .filter(t -> keyConfigs.customerKey(t).isPresent())
                                .count()
                        == (TENANTS + 1) / 2);
        return tenants;
    }

    /** A pass's events, parsed and as published (the same order), and where they start in the topic. */
    private record Pass(List<ActivityEvent> events, List<byte[]> values, Map<TopicPartition, Long> offsets) {}

    /**
     * A tenant's first event ever creates its key in the service's vault (RSA key generation, one
     * wrap): timed here on its own, all tenants at once, so that the cold pass measures first DEKs.
     */
    private double onboard(Set<String> tenants) {
        long start = System.nanoTime();
        // as ingest does, a key whose creation timed out is tried again (the emulator generates RSA keys on this VM's
        // cores)
        await().atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    List<CompletableFuture<TenantKey>> keys = tenants.stream()
                            .map(t -> tenantKeys.key(t).toCompletableFuture())
                            .toList();
                    return keys.stream().allMatch(k -> {
                        try {
                            k.join();
                            return true;
                        } catch (java.util.concurrent.CompletionException e) {
                            return false;
                        }
                    });
                });
        return tenants.size() / ((System.nanoTime() - start) / 1e9);
    }

    /** Publishes a pass of new events while the ingest channel is paused; remembers where they start. */
    private Pass publish(KafkaProducer<String, byte[]> producer, Set<String> tenants) {
        Map<TopicPartition, Long> offsets = TopicClient.endOffsets(KafkaEndpoint.admin(), Topics.ACTIVITY_INGEST);
        List<String> ids = List.copyOf(tenants);
        String pass = UUID.randomUUID().toString().substring(0, 6);
        String padding = "x".repeat(700);
        String occurredAt = Instant.now()
                .truncatedTo(ChronoUnit.SECONDS)
                .minus(Duration.ofHours(1))
                .toString();
        ActivityEventParser parser = new ActivityEventParser(Clock.systemUTC());
        List<ActivityEvent> events = new ArrayList<>(EVENTS);
        List<byte[]> values = new ArrayList<>(EVENTS);
        for (int i = 0; i < EVENTS; i++) {
            String tenant = ids.get(i % ids.size());
            byte[] json = ("{\"schemaVersion\":1,\"tenantId\":\"" + tenant + "\",\"eventId\":\"" + pass + "-" + i
                            + "\",\"occurredAt\":\"" + occurredAt + "\",\"activityType\":\"file.share\","
                            + "\"actor\":\"user" + i + "@contoso.com\",\"attributes\":{\"pad\":\"" + padding + "\"}}")
                    .getBytes(StandardCharsets.UTF_8);
            events.add(((ActivityEventParser.Valid) parser.parse(json)).event());
            values.add(json);
            producer.send(new ProducerRecord<>(Topics.ACTIVITY_INGEST, tenant, json));
        }
        producer.flush();
        return new Pass(events, values, offsets);
    }

    /** Resumes the ingest channel until its own counter rose by {@code events} (polling the table would load it). */
    private double encrypted(Set<String> tenants, int events) {
        long before = stored(tenants);
        Counter stored = meters.get("byok.ingest.stored").counter();
        double storedBefore = stored.count();
        PausableChannel ingest = channels.getPausable("ingest");
        long begin = System.nanoTime();
        ingest.resume();
        await().atMost(Duration.ofMinutes(30))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> stored.count() - storedBefore >= events);
        double rate = events / ((System.nanoTime() - begin) / 1e9);
        ingest.pause();
        if (stored(tenants) - before != events) {
            throw new AssertionError("expected " + events + " new rows, found " + (stored(tenants) - before));
        }
        return rate;
    }

    private double baseline(Set<String> tenants, Map<TopicPartition, Long> from) {
        int inFlight = ConfigProvider.getConfig()
                .getValue("smallrye.messaging.worker.ingest-writers.max-concurrency", Integer.class);
        return new PlaintextBaseline(records, batch(), inFlight).run(tenants, from, EVENTS);
    }

    /** The ingest channel's batch size, which the baseline and the consume ceiling use too. */
    private static int batch() {
        return ConfigProvider.getConfig().getValue("mp.messaging.incoming.ingest.max.poll.records", Integer.class);
    }

    private static long keyVaultCalls(EmulatorAdminClient admin) {
        return admin.counters(KeyVaultEmulatorEndpoint.VAULT).entrySet().stream()
                .filter(e -> !e.getKey().equals("requests"))
                .mapToLong(Map.Entry::getValue)
                .sum();
    }

    private long stored(Set<String> tenants) {
        return pool.preparedQuery("SELECT count(*) FROM activity_record WHERE tenant_id = ANY($1)")
                .execute(Tuple.of(tenants.toArray(new String[0])))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong(0);
    }
}
