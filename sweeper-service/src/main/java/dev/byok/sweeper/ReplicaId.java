package dev.byok.sweeper;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** This replica's name in leases: the pod name where there is one, plus a random suffix per start. */
@ApplicationScoped
public class ReplicaId {
    private final String value;

    ReplicaId(@ConfigProperty(name = "HOSTNAME", defaultValue = "sweeper") String host) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        this.value = (host.length() > 50 ? host.substring(0, 50) : host) + "-" + suffix;
    }

    public String value() {
        return value;
    }
}
