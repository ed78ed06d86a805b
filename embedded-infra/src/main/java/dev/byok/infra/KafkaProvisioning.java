package dev.byok.infra;

import dev.byok.model.KafkaAccess;
import dev.byok.model.TopicSpecs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * What Strimzi's {@code KafkaUser} and {@code KafkaTopic} resources do in Kubernetes, done for the
 * local broker as its super user: a SCRAM credential and exactly the {@link KafkaAccess} ACLs for
 * every principal, and every topic of {@link TopicSpecs}. Idempotent: runs at every start.
 */
public final class KafkaProvisioning {
    private KafkaProvisioning() {}

    static void apply(EmbeddedKafkaBroker broker) throws InterruptedException, ExecutionException, TimeoutException {
        try (Admin admin = Admin.create(broker.clientProperties(EmbeddedKafkaBroker.ADMIN))) {
            List<UserScramCredentialAlteration> users = new ArrayList<>();
            for (KafkaAccess.Principal principal : KafkaAccess.principals()) {
                users.add(new UserScramCredentialUpsertion(
                        principal.name(),
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096),
                        broker.password(principal.name())));
            }
            admin.alterUserScramCredentials(users).all().get(30, TimeUnit.SECONDS);
            admin.createAcls(bindings()).all().get(30, TimeUnit.SECONDS);
            createTopics(admin, TopicSpecs.all(TopicSpecs.DEFAULT_PARTITIONS));
        }
    }

    /** The {@link KafkaAccess} table as broker ACLs. */
    public static List<AclBinding> bindings() {
        List<AclBinding> bindings = new ArrayList<>();
        for (KafkaAccess.Principal principal : KafkaAccess.principals()) {
            for (KafkaAccess.Grant grant : principal.grants()) {
                ResourcePattern resource = switch (grant.operation()) {
                    case READ_TOPIC, WRITE_TOPIC, DESCRIBE_TOPIC ->
                        new ResourcePattern(ResourceType.TOPIC, grant.resource(), PatternType.LITERAL);
                    case USE_GROUP_PREFIX ->
                        new ResourcePattern(ResourceType.GROUP, grant.resource(), PatternType.PREFIXED);
                    case DESCRIBE_GROUP ->
                        new ResourcePattern(ResourceType.GROUP, grant.resource(), PatternType.LITERAL);
                };
                AclOperation operation = switch (grant.operation()) {
                    case WRITE_TOPIC -> AclOperation.WRITE;
                    case READ_TOPIC, USE_GROUP_PREFIX -> AclOperation.READ;
                    case DESCRIBE_TOPIC, DESCRIBE_GROUP -> AclOperation.DESCRIBE;
                };
                bindings.add(new AclBinding(
                        resource,
                        new AccessControlEntry("User:" + principal.name(), "*", operation, AclPermissionType.ALLOW)));
            }
        }
        return bindings;
    }

    /** Creates the topics that do not exist yet. */
    public static void createTopics(Admin admin, List<TopicSpecs.Spec> specs)
            throws InterruptedException, ExecutionException, TimeoutException {
        Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        for (TopicSpecs.Spec spec : specs) {
            if (existing.contains(spec.name())) {
                continue;
            }
            try {
                admin.createTopics(
                                List.of(new NewTopic(spec.name(), spec.partitions(), (short) 1).configs(spec.config())))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
    }

    /** Creates one topic for a test (the broker never creates topics on first use). */
    public static void createTopic(Admin admin, String name, int partitions, Map<String, String> config) {
        try {
            createTopics(admin, List.of(new TopicSpecs.Spec(name, partitions, config)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating " + name, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not create topic " + name, e);
        }
    }
}
