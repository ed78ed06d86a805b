package dev.byok.kafka;

import dev.byok.model.TopicSpecs;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * A service's check of the topics it runs on: the tenant-joined topics exist, this principal may
 * see them, and they have equal partition counts. Topics are provisioned by the platform (Strimzi
 * {@code KafkaTopic} resources, or the local broker's provisioning); services hold no CREATE right.
 */
public final class KafkaTopicCheck {
    private static final int ANSWER_SECONDS = 3;

    private KafkaTopicCheck() {}

    /** A long-lived admin client for {@link #problem}, with short timeouts so a health probe answers quickly. */
    public static Admin admin(KafkaClientConfig kafka) {
        return kafka.admin(Map.of(
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                ANSWER_SECONDS * 1000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                ANSWER_SECONDS * 1000));
    }

    /** What keeps this principal from running on the topics, if anything; safe to log (no secrets). */
    public static Optional<String> problem(Admin admin) {
        try {
            Map<String, TopicDescription> joined = admin.describeTopics(TopicSpecs.tenantJoinedTopics())
                    .allTopicNames()
                    .get(ANSWER_SECONDS + 1, TimeUnit.SECONDS);
            Map<String, Integer> counts = new HashMap<>();
            joined.forEach((name, d) -> counts.put(name, d.partitions().size()));
            if (counts.values().stream().collect(Collectors.toSet()).size() != 1) {
                return Optional.of("topics " + TopicSpecs.tenantJoinedTopics()
                        + " must have the same partition count (tenant ownership relies on it); found " + counts);
            }
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        } catch (TimeoutException e) {
            return Optional.of(
                    "no answer within " + ANSWER_SECONDS + " s (broker unreachable, or the TLS handshake failed)");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof AuthenticationException) {
                return Optional.of("authentication refused: " + cause.getMessage());
            }
            if (cause instanceof AuthorizationException) {
                return Optional.of("not authorised to describe " + TopicSpecs.tenantJoinedTopics());
            }
            if (cause instanceof UnknownTopicOrPartitionException) {
                return Optional.of("topics missing: " + TopicSpecs.tenantJoinedTopics()
                        + " must be provisioned before the services start");
            }
            return Optional.of(cause.getClass().getSimpleName() + ": " + cause.getMessage());
        }
    }
}
