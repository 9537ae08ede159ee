package io.palabre.dashboard.messaging;

import java.util.LinkedHashSet;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.palabre.dashboard.service.OrganisationAccounts;
import io.palabre.support.Retries;
import io.palabre.support.Retries.Attempt;
import io.palabre.support.UntrustedText;
import io.quarkus.runtime.Startup;
import io.smallrye.common.annotation.Blocking;

/**
 * Reads the compacted topic {@code queries} (docs/contracts/query.schema.json) to learn which accounts each listening
 * query names as the organisation's own. A record that cannot be used goes to {@code dashboard-dlq} with the reason;
 * an outage is waited out.
 */
@Startup
@ApplicationScoped
public class QueryConsumer {

    private static final Logger LOG = Logger.getLogger(QueryConsumer.class);
    /** The longest query name kept, as ingest-service allows. */
    private static final int MAX_NAME_CHARS = 200;
    /** The most accounts one query may name as the organisation's. */
    static final int MAX_ACCOUNTS = 1000;
    /** The longest account id kept (a platform's id with its prefix is far shorter). */
    static final int MAX_ID_CHARS = 512;

    private final OrganisationAccounts organisations;
    private final DeadLetters deadLetters;
    private final Retries retries;
    private final ObjectMapper mapper;

    public QueryConsumer(OrganisationAccounts organisations, DeadLetters deadLetters, Retries retries,
            ObjectMapper mapper) {
        this.organisations = organisations;
        this.deadLetters = deadLetters;
        this.retries = retries;
        this.mapper = mapper;
    }

    /** What one record says, or why it cannot be used. */
    private record Read(String name, Set<String> accounts, String unusable) {

        static Read refused(String reason) {
            return new Read(null, null, reason);
        }
    }

    @Incoming("queries")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) throws InterruptedException {
        String origin = record.topic() + "/" + record.partition() + "@" + record.offset();
        String queryId = record.key();
        Read read = queryId == null || queryId.isBlank() || queryId.length() > MAX_ID_CHARS
                || UntrustedText.unusable(queryId) >= 0
                ? Read.refused("listening query without a usable record key")
                : read(queryId, record.value());
        if (read.unusable() != null) {
            LOG.errorf("Listening query %s sent to dashboard-dlq: %s", origin, read.unusable());
            deadLetters.send(origin, read.unusable(), record.value());
            return;
        }
        Attempt<Void> applied = retries.untilDone("Storing the organisation accounts of a listening query", () -> {
            organisations.replace(queryId, read.name(), read.accounts());
            return null;
        });
        if (!applied.succeeded()) {
            LOG.errorf("Listening query %s sent to dashboard-dlq: %s", origin, applied.failure());
            deadLetters.send(origin, "not stored: " + applied.failure(), record.value());
        }
    }

    private Read read(String queryId, String value) {
        if (value == null) {
            return new Read(queryId, Set.of(), null); // deleted: it names no account any more
        }
        JsonNode node;
        try {
            node = mapper.readTree(value);
        } catch (JsonProcessingException e) {
            return Read.refused("not a listening query: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            return Read.refused("not a listening query: not a JSON object");
        }
        JsonNode named = node.path("organisationAccounts");
        if (!named.isMissingNode() && !named.isNull() && !named.isArray()) {
            return Read.refused("organisationAccounts is not an array");
        }
        Set<String> accounts = new LinkedHashSet<>();
        for (JsonNode account : named.isArray() ? named : mapper.createArrayNode()) {
            if (account.isNull()) {
                continue;
            }
            if (!account.isTextual() || account.asText().isBlank() || account.asText().length() > MAX_ID_CHARS
                    || UntrustedText.unusable(account.asText()) >= 0) {
                return Read.refused("organisationAccounts holds an unusable account id: "
                    + UntrustedText.clean(account.toString(), false, 200));
            }
            accounts.add(account.asText());
        }
        if (accounts.size() > MAX_ACCOUNTS) {
            return Read.refused("organisationAccounts names more than " + MAX_ACCOUNTS + " accounts");
        }
        String name = node.path("name").isTextual() ? UntrustedText.clean(node.get("name").asText(), false,
                MAX_NAME_CHARS) : "";
        return new Read(name.isBlank() ? queryId : name, accounts, null);
    }
}
