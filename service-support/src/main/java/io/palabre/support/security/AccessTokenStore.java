package io.palabre.support.security;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/**
 * Every API token's latest state, read from the compacted topic {@code access-tokens} that dashboard-service writes:
 * each service checks bearer tokens against it, so a token made or revoked in the dashboard holds everywhere within
 * about a second, without any service reading another's database. Each instance reads the whole topic (no consumer
 * group); startup waits, up to {@code palabre.security.tokens-wait}, until it has read to the end.
 */
@ApplicationScoped
public class AccessTokenStore {

    private static final Logger LOG = Logger.getLogger(AccessTokenStore.class);

    private final String bootstrapServers;
    private final String topic;
    private final Duration startupWait;
    private final Map<String, AccessToken> tokens = new ConcurrentHashMap<>();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile KafkaConsumer<String, String> consumer;
    private volatile boolean stopped;
    private volatile String problem = "not read yet";
    private Thread reader;

    public AccessTokenStore(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @ConfigProperty(name = "palabre.security.tokens-topic", defaultValue = "access-tokens") String topic,
            @ConfigProperty(name = "palabre.security.tokens-wait", defaultValue = "30s") Duration startupWait) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.startupWait = startupWait;
    }

    void start(@Observes StartupEvent event) throws InterruptedException {
        reader = new Thread(this::run, "palabre-access-tokens");
        reader.setDaemon(true);
        reader.start();
        if (!caughtUp.await(startupWait.toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.warnf("Topic %s not read to its end within %s (%s): API tokens are refused until it is", topic,
                    startupWait, problem);
        }
    }

    @PreDestroy
    void stop() {
        stopped = true;
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    public String topic() {
        return topic;
    }

    /** The latest known state of a token. */
    public Optional<AccessToken> find(String id) {
        return Optional.ofNullable(tokens.get(id));
    }

    /** Whether the topic has been read to the end once: before that, tokens made earlier may be unknown. */
    public boolean ready() {
        return caughtUp.getCount() == 0;
    }

    /** Why the store is not ready, if it is not. */
    public String problem() {
        return problem;
    }

    /**
     * Takes a state as the service that made it knows it, before the topic brings it back: a token made or revoked
     * there holds there at once. An older state never replaces a newer one.
     */
    public void apply(AccessToken state) {
        tokens.merge(state.id(), state, (old, now) -> now.version() >= old.version() ? now : old);
    }

    private void run() {
        long backoff = 500;
        while (!stopped) {
            try (KafkaConsumer<String, String> c = new KafkaConsumer<>(properties())) {
                consumer = c;
                read(c);
            } catch (WakeupException e) {
                return;
            } catch (Exception e) {
                problem = e.getClass().getSimpleName() + ": " + e.getMessage();
                LOG.warnf("Reading topic %s failed (%s); again in %d ms", topic, problem, backoff);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    return;
                }
                backoff = Math.min(backoff * 2, 10_000);
            }
        }
    }

    private void read(KafkaConsumer<String, String> c) {
        createTopic();
        List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " has no partitions yet");
        }
        List<TopicPartition> partitions = new ArrayList<>();
        infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        c.assign(partitions);
        c.seekToBeginning(partitions);
        Map<TopicPartition, Long> ends = c.endOffsets(partitions, Duration.ofSeconds(30));
        while (!stopped) {
            for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                take(r);
            }
            if (caughtUp.getCount() > 0 && ends.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue())) {
                problem = null;
                caughtUp.countDown();
                LOG.infof("Read topic %s to its end: %d API tokens known", topic, tokens.size());
            }
        }
    }

    private void take(ConsumerRecord<String, String> r) {
        if (r.key() == null) {
            return;
        }
        if (r.value() == null) {
            tokens.remove(r.key());
            return;
        }
        Optional<AccessToken> state = AccessToken.fromJson(r.value());
        if (state.isEmpty() || !state.get().id().equals(r.key())) {
            LOG.warnf("Ignored an unreadable record at %s-%d@%d", r.topic(), r.partition(), r.offset());
            return;
        }
        apply(state.get());
    }

    private Properties properties() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "palabre-access-tokens");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return p;
    }

    /** The topic is compacted, so that it always holds the latest state of every token. */
    private void createTopic() {
        NewTopic compacted = new NewTopic(topic, Optional.of(1), Optional.empty())
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(compacted)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + topic + ": " + e.getCause().getMessage());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer within 30 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }
}
