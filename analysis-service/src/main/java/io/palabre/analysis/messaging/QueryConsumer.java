package io.palabre.analysis.messaging;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.palabre.analysis.domain.ConversationUpdated;
import io.palabre.analysis.domain.ListeningQueryChanged;
import io.palabre.analysis.domain.Rejection;
import io.palabre.analysis.service.OrganisationAccounts;
import io.palabre.analysis.service.ThreadingService;
import io.quarkus.runtime.Startup;
import io.smallrye.common.annotation.Blocking;

/**
 * Reads the compacted topic {@code queries} to learn which accounts are the organisation's own. When that set
 * changes, the conversations those accounts wrote in are recomputed and republished (their
 * {@code organisationTookPart} may change).
 */
@Startup
@ApplicationScoped
public class QueryConsumer {

    private static final Logger LOG = Logger.getLogger(QueryConsumer.class);

    private final OrganisationAccounts organisations;
    private final ThreadingService threading;
    private final AnalysisPublisher publisher;
    private final AgroalDataSource dataSource;
    private final ObjectMapper mapper;

    public QueryConsumer(OrganisationAccounts organisations, ThreadingService threading, AnalysisPublisher publisher,
            AgroalDataSource dataSource, ObjectMapper mapper) {
        this.organisations = organisations;
        this.threading = threading;
        this.publisher = publisher;
        this.dataSource = dataSource;
        this.mapper = mapper;
    }

    @Incoming("queries")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) throws Exception {
        String origin = "queries/" + record.partition() + "@" + record.offset();
        ListeningQueryChanged query = null;
        if (record.value() != null) {
            try {
                query = mapper.readValue(record.value(), ListeningQueryChanged.class);
            } catch (JsonProcessingException e) {
                reject("not a listening query: " + e.getOriginalMessage(), record.value(), origin);
                return;
            }
        }
        if (record.key() == null) {
            reject("listening query without a record key", record.value() == null ? "" : record.value(), origin);
            return;
        }
        Set<String> changed = organisations.apply(record.key(), query);
        if (changed.isEmpty()) {
            return;
        }
        List<ConversationUpdated> updates = threading.recompute(conversationsWrittenBy(changed));
        LOG.infof("Organisation accounts changed (%s): %d conversations recomputed", changed, updates.size());
        publisher.publish(List.of(), updates, List.of(), List.of()).get(120, TimeUnit.SECONDS);
    }

    private void reject(String reason, String payload, String origin) throws Exception {
        publisher.publish(List.of(), List.of(), List.of(), List.of(Rejection.atAnalysis(reason, payload, origin)))
                .get(120, TimeUnit.SECONDS);
    }

    private List<String> conversationsWrittenBy(Set<String> accounts) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select distinct conversation_id from mention where "
                        + "author_id = any(?)")) {
            ps.setArray(1, c.createArrayOf("text", accounts.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }
}
