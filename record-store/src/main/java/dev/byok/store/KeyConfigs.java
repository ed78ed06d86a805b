package dev.byok.store;

import dev.byok.kafka.CompactedTopicView;
import dev.byok.kms.KeyVersionId;
import dev.byok.model.KeyConfigEvent;
import dev.byok.model.Topics;
import dev.byok.service.KafkaClients;
import dev.byok.service.LiveLoop;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Every tenant's key configuration, from the compacted key-config topic: the event with the highest
 * revision is the whole configuration (a replayed or reordered older revision is dropped).
 */
@Startup
@ApplicationScoped
public class KeyConfigs implements LiveLoop {
    private final CompactedTopicView<KeyConfigEvent> view;

    KeyConfigs(KafkaClients kafka) {
        this.view = CompactedTopicView.start(
                kafka.config(), Topics.TENANT_KEY_CONFIG, KeyConfigEvent.class, KeyConfigEvent::supersedes);
    }

    @Override
    public String loopName() {
        return "key-config view";
    }

    @Override
    public boolean alive() {
        return view.alive();
    }

    /**
     * The key version new DEKs of this tenant must be wrapped with, when BYOK is enabled. Check
     * {@link #unreadable} first: for an unreadable configuration this throws.
     */
    public Optional<KeyVersionId> customerKey(String tenantId) {
        return view.get(tenantId)
                .filter(KeyConfigEvent::byokEnabled)
                .map(KeyConfigs::versionInUse)
                .map(KeyVersionId::parse);
    }

    /**
     * Why the tenant's latest configuration cannot be acted on, when it cannot (BYOK enabled with a key
     * version id that does not parse). Such a tenant is neither "BYOK" nor "managed only": nothing
     * may add or remove its customer layer until a readable configuration arrives.
     */
    public Optional<String> unreadable(String tenantId) {
        return view.get(tenantId).filter(KeyConfigEvent::byokEnabled).flatMap(event -> {
            try {
                KeyVersionId.parse(versionInUse(event));
                return Optional.empty();
            } catch (IllegalArgumentException e) {
                return Optional.of("key-config revision " + event.revision()
                        + " names a key version id that is not a Key Vault key version");
            }
        });
    }

    /**
     * The Entra directory of the tenant's key, as its latest configuration names it (kept after BYOK
     * is disabled: removing the customer layer still unwraps there). Empty: the service's own directory.
     */
    public Optional<String> directory(String tenantId) {
        return view.get(tenantId).flatMap(KeyConfigEvent::directory);
    }

    /** Every tenant's latest key-config event. */
    public Map<String, KeyConfigEvent> snapshot() {
        return view.snapshot();
    }

    /** The tenant was offboarded: its data is being (or was) crypto-shredded. */
    public boolean offboarded(String tenantId) {
        return view.get(tenantId)
                .filter(KeyConfigEvent.TenantOffboarded.class::isInstance)
                .isPresent();
    }

    public boolean caughtUp() {
        return view.caughtUp();
    }

    /** Tenants whose configuration changed (their current DEK must be replaced). */
    public void onChange(Consumer<String> tenantId) {
        view.addListener(change -> tenantId.accept(change.key()));
    }

    private static String versionInUse(KeyConfigEvent event) {
        if (event instanceof KeyConfigEvent.KeyVersionRolled rolled) {
            return rolled.toKeyVersionId();
        }
        return ((KeyConfigEvent.KeyEnabled) event).keyVersionId();
    }

    @PreDestroy
    void stop() {
        view.close();
    }
}
