package dev.byok.lockdown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.byok.kms.KeyAccessFailure;
import dev.byok.model.EventCodec;
import dev.byok.model.LockStatus;
import dev.byok.model.TenantLockState;
import dev.byok.model.Topics;
import dev.byok.testsupport.HeadlessChromium;
import dev.byok.testsupport.KafkaEndpoint;
import dev.byok.testsupport.KafkaTestResource;
import dev.byok.testsupport.KeyVaultEmulatorTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The dashboard in headless Chromium: a transition on the lock-state topic appears without a reload. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(KeyVaultEmulatorTestResource.class)
class DashboardBrowserIT {
    @TestHTTPResource("/dashboard/index.html")
    URL dashboard;

    @Test
    void transitionAppearsLive_withCountdownForDegraded_andWithoutReload() throws Exception {
        String tenant = "ui-" + UUID.randomUUID().toString().substring(0, 8);
        Instant now = Instant.now();
        try (HeadlessChromium browser = HeadlessChromium.start();
                KafkaProducer<String, byte[]> producer =
                        new KafkaProducer<>(KafkaEndpoint.admin(), new StringSerializer(), new ByteArraySerializer())) {
            browser.open(dashboard.toString());
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> "live"
                            .equals(browser.script("return document.getElementById('connection').dataset.state")
                                    .asText()));
            long loadedAt = browser.script("return window.__dashboardLoadedAt").asLong();

            publish(
                    producer,
                    new TenantLockState(
                            tenant,
                            LockStatus.DEGRADED,
                            Optional.of(KeyAccessFailure.KEY_DISABLED),
                            "the key (or its latest version) is disabled",
                            now,
                            Optional.of(now.plus(Duration.ofMinutes(42))),
                            Optional.empty()));

            await().atMost(Duration.ofSeconds(30)).until(() -> "DEGRADED".equals(cell(browser, tenant, "status")));
            assertThat(cell(browser, tenant, "countdown")).matches("4[12]m \\d+s");
            assertThat(cell(browser, tenant, "reason")).contains("disabled");

            publish(
                    producer,
                    TenantLockState.locked(
                            tenant,
                            KeyAccessFailure.KEY_DISABLED,
                            "the key (or its latest version) is disabled",
                            now.plusSeconds(1)));

            await().atMost(Duration.ofSeconds(30)).until(() -> "LOCKED".equals(cell(browser, tenant, "status")));
            assertThat(cell(browser, tenant, "countdown")).isEmpty();
            assertThat(browser.script("return window.__dashboardLoadedAt").asLong())
                    .as("no reload")
                    .isEqualTo(loadedAt);
            assertThat(browser.script("return document.getElementById('count-LOCKED').textContent")
                            .asInt())
                    .isPositive();
        }
    }

    private static String cell(HeadlessChromium browser, String tenant, String column) throws Exception {
        return browser.script("const tr = document.querySelector('tr[data-tenant=\"" + tenant + "\"]');"
                        + " return tr ? tr.querySelector('td." + column + "').textContent : null;")
                .asText(null);
    }

    private static void publish(KafkaProducer<String, byte[]> producer, TenantLockState state) throws Exception {
        producer.send(new ProducerRecord<>(Topics.TENANT_LOCK_STATE, state.tenantId(), EventCodec.encode(state)))
                .get();
    }
}
