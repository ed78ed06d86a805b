package dev.byok.config;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;

/** One event waiting in the transactional outbox (written in the same transaction as its change). */
@Entity
@Table(name = "outbox")
public class OutboxRecord extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public String topic;

    @Column(name = "record_key", nullable = false)
    public String recordKey;

    @Column(nullable = false)
    public byte[] payload;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "published_at")
    public Instant publishedAt;

    static Uni<List<OutboxRecord>> unpublished(int limit) {
        return OutboxRecord.<OutboxRecord>find("publishedAt is null order by id").page(0, limit).list();
    }

    static Uni<Integer> markPublished(List<Long> ids, Instant at) {
        return OutboxRecord.update("publishedAt = ?1 where id in ?2", at, ids);
    }
}
