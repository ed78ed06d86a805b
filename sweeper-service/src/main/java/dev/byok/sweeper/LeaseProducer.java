package dev.byok.sweeper;

import dev.byok.store.DekLeases;
import dev.byok.store.DekRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** This replica's DEK leases: record-store's statements, held under this replica's name. */
@ApplicationScoped
class LeaseProducer {

    @Produces
    @Singleton
    DekLeases leases(DekRepository deks, SweeperConfig config, ReplicaId replica, SweeperMetrics metrics) {
        return deks.leases(
                replica.value(), config.lease(), quarantined -> metrics.converged("claim", "quarantined", quarantined));
    }
}
