package io.palabre.ingest.messaging;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/**
 * Creates the topics whose settings matter before the first record: {@code queries} is compacted, so that it
 * always holds the latest state of every listening query.
 */
@Singleton
public class KafkaTopics {

    private static final Logger LOG = Logger.getLogger(KafkaTopics.class);

    private final String bootstrapServers;

    public KafkaTopics(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    void onStart(@Observes StartupEvent event) throws InterruptedException {
        NewTopic queries = new NewTopic("queries", Optional.of(1), Optional.empty())
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(queries)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                LOG.warnf("Could not create topic queries (%s); it will be created on first use without compaction",
                        e.getCause().getMessage());
            }
        } catch (java.util.concurrent.TimeoutException e) {
            LOG.warn("Could not reach Kafka to create topic queries within 30 s");
        }
    }
}
