package io.palabre.dashboard.access;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/**
 * At startup: makes the first admin when there is no user and the bootstrap settings name one, then publishes every
 * token's state.
 */
@ApplicationScoped
public class AccessBootstrap {

    private static final Logger LOG = Logger.getLogger(AccessBootstrap.class);

    private final AccessService access;
    private final TokenPublisher publisher;

    public AccessBootstrap(AccessService access, TokenPublisher publisher) {
        this.access = access;
        this.publisher = publisher;
    }

    void onStart(@Observes StartupEvent event) {
        if (access.bootstrap()) {
            LOG.info("Made the first admin from the bootstrap settings");
        } else if (!access.hasUsers()) {
            LOG.warn("There is no user yet: set PALABRE_ACCESS_BOOTSTRAP_ADMIN_PASSWORD (at least 12 characters) "
                    + "to make the first admin at startup, or use an identity provider (README, Security)");
        }
        publisher.start();
    }
}
