package io.palabre.analysis.messaging;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.palabre.analysis.domain.MentionCaptured;
import io.palabre.analysis.threading.ReceivedMention;
import io.palabre.analysis.threading.ThreadingService;
import io.palabre.support.Failures;

/**
 * Routes replies that name only their parent (Mastodon) to the partition of their parent's conversation, so that
 * the consumer of that partition threads them beside the rest of it, in its own transaction, instead of in the
 * transaction that runs alone (docs/architecture.md, "Threading without a global lock").
 *
 * <p>A new reply read from {@code mentions} whose parent is stored is sent again, as it was read, on
 * {@code routed-mentions}, keyed by the parent's conversation; it is not threaded from {@code mentions}. Routing is a
 * hint: the routed reply's first transaction checks that its parent's conversation is still its key, and leaves it to
 * the second transaction otherwise. A reply whose parent is not stored yet (it comes later, or was never captured) is
 * threaded from {@code mentions} as before.
 *
 * <p>{@code palabre.routing.enabled=false} turns it off.
 *
 * <p>Both topics must have as many partitions, so that a conversation's key is on the same partition number in both
 * and takes the same partition lock. This is checked at most once a minute; while they differ (or either is missing)
 * nothing is routed, and what {@code routed-mentions} brings is threaded as replies from {@code mentions} are.
 */
@ApplicationScoped
public class MentionRouting {

    static final String TOPIC = AnalysisPublisher.ROUTED_MENTIONS;
    static final String MENTIONS = "mentions";
    private static final Logger LOG = Logger.getLogger(MentionRouting.class);
    private static final long CHECK_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final long SEND_TIMEOUT_SECONDS = 60;

    private final boolean enabled;
    private final String bootstrapServers;
    private final ThreadingService threading;
    private final AnalysisPublisher publisher;
    private final Counter routed;
    private volatile boolean aligned;
    private volatile long checkedAt;
    private volatile boolean checked;

    public MentionRouting(
            @ConfigProperty(name = "palabre.routing.enabled", defaultValue = "true") boolean enabled,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, ThreadingService threading,
            AnalysisPublisher publisher, MeterRegistry registry) {
        this.enabled = enabled;
        this.bootstrapServers = bootstrapServers;
        this.threading = threading;
        this.publisher = publisher;
        this.routed = Counter.builder("palabre.analysis.mentions.routed")
                .description("Replies sent to routed-mentions, to be threaded with their parent's conversation")
                .register(registry);
    }

    /** Whether {@code routed-mentions} exists with as many partitions as {@code mentions} (checked once a minute). */
    public boolean aligned() {
        if (!enabled) {
            return false;
        }
        long now = System.nanoTime();
        if (!checked || now - checkedAt > CHECK_EVERY_NANOS) {
            synchronized (this) {
                if (!checked || now - checkedAt > CHECK_EVERY_NANOS) {
                    boolean was = aligned;
                    aligned = partitionsMatch();
                    if (was != aligned || !checked) {
                        LOG.infof("Routing replies to their parent's conversation: %s", aligned ? "on"
                                : "off (routed-mentions missing, or not as many partitions as mentions)");
                    }
                    checked = true;
                    checkedAt = System.nanoTime();
                }
            }
        }
        return aligned;
    }

    private boolean partitionsMatch() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Map<String, TopicDescription> topics = admin.describeTopics(List.of(MENTIONS, TOPIC)).allTopicNames()
                    .get(30, TimeUnit.SECONDS);
            return topics.get(MENTIONS).partitions().size() == topics.get(TOPIC).partitions().size();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.debugf("Routing check: %s", Failures.reason(e));
            return false;
        }
    }

    /**
     * Sends the batch's new replies that name only a stored parent to {@code routed-mentions}, and returns the records
     * to thread here: all the others, and all of them when routing is off or cannot be done now. Each routed record
     * carries its mention's span of {@code traces} as its parent.
     */
    List<ReceivedMention> route(List<ReceivedMention> batch, BatchTraces traces) throws InterruptedException {
        if (!enabled) {
            return batch;
        }
        Set<String> parents = new HashSet<>();
        for (ReceivedMention in : batch) {
            if (routable(in)) {
                parents.add(in.mention().replyTo().id());
            }
        }
        if (parents.isEmpty() || !aligned()) {
            return batch;
        }
        Map<String, String> conversations;
        try {
            conversations = threading.storedConversations(parents);
        } catch (Exception e) {
            LOG.debugf("Replies not routed this time: %s", Failures.reason(e));
            return batch;
        }
        List<ReceivedMention> here = new ArrayList<>(batch.size());
        List<AnalysisPublisher.Routed> away = new ArrayList<>();
        for (ReceivedMention in : batch) {
            String conversation = routable(in) ? conversations.get(in.mention().replyTo().id()) : null;
            if (conversation == null) {
                here.add(in);
            } else {
                away.add(new AnalysisPublisher.Routed(conversation, in.json(), in.mention().id()));
            }
        }
        if (away.isEmpty()) {
            return batch;
        }
        try {
            publisher.publishRouted(away, traces).get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            // Threaded here instead; any that reached the topic are received again there, and change nothing.
            LOG.warnf("Replies not routed (%s); threading them here", Failures.reason(e));
            return batch;
        }
        routed.increment(away.size());
        return here;
    }

    /** A new reply read from {@code mentions} that names only its parent. */
    private static boolean routable(ReceivedMention in) {
        MentionCaptured m = in.mention();
        return !in.routed() && in.origin().startsWith(MENTIONS + "/") && ReceivedMention.answersOnlyItsParent(m)
                && !m.isDelete() && !m.isEdit();
    }
}
