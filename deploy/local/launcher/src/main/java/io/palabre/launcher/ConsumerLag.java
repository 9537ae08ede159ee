package io.palabre.launcher;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a consumer group's committed offsets are behind a topic's end, and where they are.
 */
public final class ConsumerLag {

    private ConsumerLag() {
    }

    /** Records of the topic after the group's committed offsets (all of them where it has committed none). */
    public static long lag(String bootstrapServers, String group, String topic)
            throws InterruptedException, ExecutionException, TimeoutException {
        try (Admin admin = admin(bootstrapServers)) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions()
                    .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            long lag = 0;
            for (var end : admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).entrySet()) {
                OffsetAndMetadata at = offsets.get(end.getKey());
                lag += end.getValue().offset() - (at == null ? 0 : at.offset());
            }
            return lag;
        }
    }

    /** Records of the topics after the group's committed offsets; a topic that does not exist yet has none. */
    public static long lag(String bootstrapServers, String group, List<String> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        long lag = 0;
        for (String topic : topics) {
            try {
                lag += lag(bootstrapServers, group, topic);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
        }
        return lag;
    }

    /** The sum of the group's committed offsets over all partitions. */
    public static long committed(String bootstrapServers, String group)
            throws InterruptedException, ExecutionException, TimeoutException {
        try (Admin admin = admin(bootstrapServers)) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                    .values().stream().filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum();
        }
    }

    /** The group's committed offset on each partition of the topic (none where it has committed none). */
    public static Map<Integer, Long> committedByPartition(String bootstrapServers, String group, String topic)
            throws InterruptedException, ExecutionException, TimeoutException {
        try (Admin admin = admin(bootstrapServers)) {
            Map<Integer, Long> offsets = new TreeMap<>();
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                    .forEach((tp, at) -> {
                        if (tp.topic().equals(topic) && at != null) {
                            offsets.put(tp.partition(), at.offset());
                        }
                    });
            return offsets;
        }
    }

    /**
     * The partitions of the topic that each running member of the group holds, by the member's client id (members
     * holding none left out).
     */
    public static Map<String, List<Integer>> assignments(String bootstrapServers, String group, String topic)
            throws InterruptedException, ExecutionException, TimeoutException {
        try (Admin admin = admin(bootstrapServers)) {
            Map<String, List<Integer>> members = new TreeMap<>();
            for (MemberDescription m : admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS)
                    .get(group).members()) {
                List<Integer> partitions = m.assignment().topicPartitions().stream()
                        .filter(tp -> tp.topic().equals(topic)).map(TopicPartition::partition).sorted().toList();
                if (!partitions.isEmpty()) {
                    members.merge(m.clientId(), partitions, (a, b) -> {
                        List<Integer> both = new ArrayList<>(a);
                        both.addAll(b);
                        return both;
                    });
                }
            }
            return members;
        }
    }

    /** Moves the group (which must have no running member) back to the start of every partition it read. */
    public static void rewind(String bootstrapServers, String group)
            throws InterruptedException, ExecutionException, TimeoutException {
        try (Admin admin = admin(bootstrapServers)) {
            Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                    .keySet().forEach(tp -> start.put(tp, new OffsetAndMetadata(0)));
            admin.alterConsumerGroupOffsets(group, start).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static Admin admin(String bootstrapServers) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }
}
