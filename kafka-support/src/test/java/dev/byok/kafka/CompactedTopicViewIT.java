package dev.byok.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.byok.model.EventCodec;
import dev.byok.model.KeyConfigEvent;
import dev.byok.testsupport.KafkaEndpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** A view of a key-config-like topic: the latest event per tenant, tombstones, and live changes. */
class CompactedTopicViewIT {
    private static final KafkaClientConfig ADMIN = KafkaClientConfig.of(KafkaEndpoint.admin());
    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
    private static final String KID = "https://contoso.vault.azure.net/keys/k/";

    @Test
    void viewHoldsTheHighestRevisionPerKey_dropsTombstonesAndStaleRevisions_andHearsLaterChanges() throws Exception {
        String topic = "key-config-" + UUID.randomUUID();
        try (Admin admin = Admin.create(KafkaEndpoint.admin())) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
        }
        try (KafkaProducer<String, byte[]> producer = ADMIN.producer(Map.of())) {
            send(producer, topic, new KeyConfigEvent.KeyEnabled("a", 1, T0, KID, KID + "1"));
            send(producer, topic, new KeyConfigEvent.KeyVersionRolled("a", 2, T0, KID, KID + "1", KID + "2"));
            send(producer, topic, new KeyConfigEvent.KeyEnabled("b", 1, T0, KID, KID + "1"));
            producer.send(new ProducerRecord<>(topic, "b", null)).get();

            try (CompactedTopicView<KeyConfigEvent> view = CompactedTopicView.start(
                    ADMIN, topic, KeyConfigEvent.class, (incoming, held) -> incoming.revision() > held.revision())) {
                await().atMost(Duration.ofSeconds(30)).until(view::caughtUp);

                assertThat(view.get("a")).containsInstanceOf(KeyConfigEvent.KeyVersionRolled.class);
                assertThat(view.get("b")).isEmpty();

                List<CompactedTopicView.Change<KeyConfigEvent>> heard = new CopyOnWriteArrayList<>();
                view.addListener(heard::add);
                send(producer, topic, new KeyConfigEvent.KeyDisabled("a", 3, T0, KID));
                send(
                        producer,
                        topic,
                        new KeyConfigEvent.KeyVersionRolled(
                                "a", 2, T0, KID, KID + "1", KID + "2")); // a relay's late duplicate
                send(producer, topic, new KeyConfigEvent.KeyEnabled("a", 4, T0, KID, KID + "2"));

                await().atMost(Duration.ofSeconds(30))
                        .until(() -> heard.size() >= 2
                                && view.get("a").map(KeyConfigEvent::revision).equals(Optional.of(4L)));
                assertThat(heard).extracting(CompactedTopicView.Change::key).containsOnly("a");
                assertThat(heard)
                        .extracting(c -> c.value().map(KeyConfigEvent::revision).orElseThrow())
                        .containsExactly(3L, 4L);
                assertThat(heard.get(0).value())
                        .map(KeyConfigEvent::byokEnabled)
                        .isEqualTo(Optional.of(false));
            }
        }
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, KeyConfigEvent event)
            throws Exception {
        producer.send(new ProducerRecord<>(topic, event.tenantId(), EventCodec.encode(event)))
                .get();
    }
}
