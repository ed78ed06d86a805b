package dev.byok.kafka;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates missing topics from {@link TopicSpecs} (where the platform does not manage them, e.g.
 * locally; Strimzi KafkaTopic resources do it in Kubernetes) and checks that the tenant-joined
 * topics have equal partition counts, failing fast with a clear message otherwise.
 */
public final class TopicBootstrap {
    private TopicBootstrap() {
    }

    /** New topics take a moment to appear in the metadata of every broker. */
    private static Map<String, TopicDescription> describeWhenVisible(Admin admin, List<String> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200); // metadata propagation back-off, bounded by the deadline
            }
        }
    }

    /** Creates the missing topics (needs CREATE rights: the provisioning principal's) and checks them. */
    public static void ensure(KafkaClientConfig kafka, List<TopicSpecs.Spec> specs, int replicationFactor) {
        withAdmin(kafka, "create or check", admin -> {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = specs.stream().filter(s -> !existing.contains(s.name()))
                    .map(s -> new NewTopic(s.name(), s.partitions(), (short) replicationFactor).configs(s.config()))
                    .toList();
            for (NewTopic topic : missing) {
                try {
                    admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            checkJoined(admin);
        });
    }

    /** Only checks that the tenant-joined topics exist with equal partition counts: a service's start, without CREATE rights. */
    public static void check(KafkaClientConfig kafka) {
        withAdmin(kafka, "check", TopicBootstrap::checkJoined);
    }

    private interface AdminWork {
        void run(Admin admin) throws InterruptedException, ExecutionException, TimeoutException;
    }

    private static void withAdmin(KafkaClientConfig kafka, String what, AdminWork work) {
        try (Admin admin = kafka.admin(Map.of(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000))) {
            work.run(admin);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking Kafka topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not " + what + " Kafka topics as " + kafka.describe() + ": " + e.getMessage(), e);
        }
    }

    private static void checkJoined(Admin admin) throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, TopicDescription> joined = describeWhenVisible(admin, TopicSpecs.tenantJoinedTopics());
        Map<String, Integer> counts = new HashMap<>();
        joined.forEach((name, d) -> counts.put(name, d.partitions().size()));
        if (counts.values().stream().collect(Collectors.toSet()).size() != 1) {
            throw new IllegalStateException("topics " + TopicSpecs.tenantJoinedTopics()
                    + " must have the same partition count (tenant ownership relies on it); found " + counts);
        }
    }
}
