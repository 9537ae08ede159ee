package io.palabre.ingest.messaging;

import java.util.Map;

import io.palabre.support.audit.AuditEvent;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Records who changed what in ingest-service: each event goes into the outbox in the transaction of the change, and
 * from there to topic {@code audit}, which dashboard-service keeps as the audit log.
 */
public final class AuditTrail {

    public static final String SERVICE = "ingest-service";

    private AuditTrail() {
    }

    /** Records a change made by {@code by}, in the caller's transaction. */
    public static void record(SecurityIdentity by, String action, String target, Map<String, ?> detail) {
        AuditEvent event = AuditEvent.of(SERVICE, by, action, target, AuditEvent.OK, detail);
        OutboxRecord.record(Outbox.AUDIT, event.id(), event.toJson());
    }
}
