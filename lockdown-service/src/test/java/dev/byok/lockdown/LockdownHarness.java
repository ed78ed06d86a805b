package dev.byok.lockdown;

import dev.byok.emulator.Directories;
import dev.byok.emulator.EmulatorAdminClient;
import dev.byok.emulator.KeyVaultEmulator;
import dev.byok.kafka.KafkaClientConfig;
import dev.byok.kms.KeyAccessFailure;
import dev.byok.kms.KeyOperation;
import dev.byok.kms.KeyVersionId;
import dev.byok.kms.Kms;
import dev.byok.kms.azure.AzureCredentials;
import dev.byok.kms.azure.AzureHttpClients;
import dev.byok.kms.azure.AzureKeyVaultKms;
import dev.byok.kms.azure.AzureKmsSettings;
import dev.byok.kms.azure.CredentialSettings;
import dev.byok.model.EventCodec;
import dev.byok.model.KafkaAccess;
import dev.byok.model.KeyAccessEvent;
import dev.byok.model.KeyConfigEvent;
import dev.byok.model.TenantLockState;
import dev.byok.model.Topics;
import dev.byok.testsupport.KafkaEndpoint;
import dev.byok.testsupport.LockStateRecorder;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Real parts for lockdown tests, shared by the test JVM: the embedded Kafka broker with every
 * topic, the Key Vault emulator with one vault, the Azure KMS (real SDK) against it, a producer
 * playing the other services, and an observer of everything published on the lock-state topic.
 */
final class LockdownHarness {
    static final String VAULT = "tenants";
    static final String GROUP =
            "lockdown-service-it"; // the lockdown-service principal may use lockdown-service* groups only
    private static LockdownHarness instance;

    final KafkaClientConfig lockdownPrincipal =
            KafkaClientConfig.of(KafkaEndpoint.clientProperties(KafkaAccess.LOCKDOWN_SERVICE));
    final KeyVaultEmulator emulator;
    final EmulatorAdminClient admin;
    final Kms kms;
    private final KafkaProducer<String, byte[]> producer;
    /** Stands for a tombstone or an undecodable record in {@link #records}. */
    static final TenantLockState TOMBSTONE = TenantLockState.healthy("(tombstone)", Instant.EPOCH, "tombstone");

    private final LockStateRecorder lockStates = new LockStateRecorder(KafkaEndpoint.admin());

    private LockdownHarness() {
        emulator = KeyVaultEmulator.builder()
                .vault(KeyVaultEmulator.VaultSpec.purgeProtected(VAULT))
                .stateDirectory(Path.of(System.getProperty("java.io.tmpdir"), "keyvault-emulator"))
                .start();
        admin = new EmulatorAdminClient(emulator.adminUri());
        AzureKmsSettings settings = AzureKmsSettings.DEFAULTS
                .withOperationDeadline(Duration.ofSeconds(2))
                .withEmulator(emulator.vaultUri(VAULT).getAuthority(), emulator.certificatePem());
        Vertx vertx = Vertx.vertx(new io.vertx.core.VertxOptions()
                .setAddressResolverOptions( // the vault names resolve through the emulator's hosts file
                        new io.vertx.core.dns.AddressResolverOptions()
                                .setHostsPath(emulator.hostsFile().toString())));
        var http = AzureHttpClients.create(vertx, settings);
        kms = new AzureKeyVaultKms(
                settings,
                AzureCredentials.create(
                        CredentialSettings.clientSecret(
                                Directories.DEFAULT_DIRECTORY,
                                Directories.DEFAULT_CLIENT_ID,
                                Directories.DEFAULT_CLIENT_SECRET,
                                emulator.loginUri().toString()),
                        http),
                http,
                Clock.systemUTC());
        producer = new KafkaProducer<>(
                KafkaEndpoint.admin(Map.of(ProducerConfig.ACKS_CONFIG, "all")),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    static synchronized LockdownHarness get() {
        if (instance == null) {
            instance = new LockdownHarness();
        }
        return instance;
    }

    LockdownEngine engine(Duration grace, Duration degradedProbe, Duration backgroundProbe) {
        return engine(grace, degradedProbe, backgroundProbe, LockdownMetrics.NONE);
    }

    LockdownEngine engine(Duration grace, Duration degradedProbe, Duration backgroundProbe, LockdownMetrics metrics) {
        LockdownSettings settings =
                new LockdownSettings(grace, degradedProbe, backgroundProbe, Duration.ofMillis(100), GROUP);
        LockdownEngine engine = new LockdownEngine(
                lockdownPrincipal,
                settings,
                new KeyProber((tenant, directory) -> kms, Clock.systemUTC()),
                Clock.systemUTC(),
                metrics);
        engine.start();
        return engine;
    }

    static String newTenant() {
        return "t-" + UUID.randomUUID().toString().substring(0, 12);
    }

    /** A fresh key for a tenant; returns its latest versioned id. */
    KeyVersionId createKey(String tenant) {
        return KeyVersionId.parse(admin.createKey(VAULT, tenant + "-key", "RSA", 2048));
    }

    void enableByok(String tenant, KeyVersionId key) {
        send(
                Topics.TENANT_KEY_CONFIG,
                tenant,
                new KeyConfigEvent.KeyEnabled(
                        tenant, 1, Instant.now(), key.key().toString(), key.toString()));
    }

    /** What crypto-service publishes when the customer wrap fails. */
    void reportFailure(String tenant, KeyVersionId key, KeyAccessFailure failure) {
        reportFailure(tenant, key, failure, Instant.now());
    }

    /** The same, dated {@code occurredAt} by its producer. */
    void reportFailure(String tenant, KeyVersionId key, KeyAccessFailure failure, Instant occurredAt) {
        send(
                Topics.KEY_ACCESS,
                tenant,
                new KeyAccessEvent.Failed(
                        tenant,
                        key.toString(),
                        KeyOperation.WRAP,
                        "crypto-service",
                        occurredAt,
                        failure,
                        failure.description()));
    }

    /** Publishes {@code event}, or raw bytes, or a tombstone (null), as a principal other than lockdown-service. */
    void send(String topic, String key, Object event) {
        byte[] value = event == null ? null : event instanceof byte[] raw ? raw : EventCodec.encode(event);
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every record on the lock-state topic for the tenant, tombstones (and undecodable records) as {@link #TOMBSTONE}, in order. */
    List<TenantLockState> records(String tenant) {
        return lockStates.records(tenant).stream()
                .map(state -> state.orElse(TOMBSTONE))
                .toList();
    }

    List<TenantLockState> published(String tenant) {
        return lockStates.of(tenant);
    }
}
