package io.palabre.analysis.messaging;

import java.util.ArrayList;
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
 * Creates the state topics analysis-service publishes as compacted topics, so that each keeps the latest
 * state of every relationship and account, however long it runs; and
 * {@code routed-mentions} with as many partitions as {@code mentions} ({@link MentionRouting}).
 */
@Singleton
public class KafkaTopics {

    static final List<String> COMPACTED = List.of("relationships", "account-metrics");

    private static final Logger LOG = Logger.getLogger(KafkaTopics.class);

    private final String bootstrapServers;

    public KafkaTopics(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    void onStart(@Observes StartupEvent event) throws InterruptedException {
        List<NewTopic> topics = new ArrayList<>();
        for (String name : COMPACTED) {
            topics.add(new NewTopic(name, Optional.empty(), Optional.empty())
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            topics.add(new NewTopic(MentionRouting.TOPIC, partitionsOf(admin, MentionRouting.MENTIONS),
                    Optional.empty()));
            for (var result : admin.createTopics(topics).values().entrySet()) {
                try {
                    result.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        LOG.warnf("Could not create topic %s (%s); it will be created on first use without "
                                + "compaction", result.getKey(), e.getCause().getMessage());
                    }
                }
            }
        } catch (java.util.concurrent.TimeoutException e) {
            LOG.warn("Could not reach Kafka to create the state topics within 30 s");
        }
    }

    /** The topic's partition count, or none (the broker's default) when it does not exist yet. */
    private static Optional<Integer> partitionsOf(Admin admin, String topic) throws InterruptedException {
        try {
            return Optional.of(admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(topic).partitions().size());
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            return Optional.empty();
        }
    }
}
