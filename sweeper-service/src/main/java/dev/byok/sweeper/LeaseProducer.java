package dev.byok.sweeper;

import dev.byok.store.DekLeases;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** This replica's DEK leases: record-store's statements, held under this replica's name. */
@ApplicationScoped
class LeaseProducer {

    @Produces
    @Singleton
    DekLeases leases(Pool pool, SweeperConfig config, ReplicaId replica, SweeperMetrics metrics) {
        return new DekLeases(pool, replica.value(), config.lease(), quarantined -> metrics.converged("claim", "quarantined", quarantined));
    }
}
