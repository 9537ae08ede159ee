package io.palabre.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;

import io.palabre.launcher.ConsumerLag;
import io.palabre.launcher.LocalRuntimeProcess;
import io.palabre.launcher.ServiceProcess;

/**
 * Scale-out on Kafka: two analysis-service replicas in one consumer group on a three-broker KRaft cluster (every topic
 * replicated three times, writes acknowledged by two), each broker a process of its own. Mid-stream one replica and
 * one broker are killed with SIGKILL; the surviving replica takes over the dead one's partitions on the two surviving
 * brokers. The stored state must equal that of one replica that ran undisturbed on the same topic.
 */
class ScaleOutIT {

    private static final int BROKERS = 3;
    private static final int PARTITIONS = 6;
    /** What analysis-service consumes: the mentions, and the replies it routes to their parent's conversation. */
    private static final List<String> ANALYSIS_TOPICS = List.of("mentions", "routed-mentions");

    @Test
    void twoReplicasOnThreeBrokersLoseOneOfEachAndEndAsOneUndisturbedReplica() throws Exception {
        Path projectDir = Path.of(System.getProperty("palabre.project.dir", "..")).toAbsolutePath().normalize();
        Path logs = Path.of("target", "scale-out-logs").toAbsolutePath();
        Path data = Files.createTempDirectory("palabre-scale-out-");
        List<LocalRuntimeProcess> brokers = new ArrayList<>();
        try (LocalRuntimeProcess postgres = LocalRuntimeProcess.start(new LocalRuntimeProcess.Settings(
                logs.resolve("postgres.log"), data.resolve("postgres-node"), 0, 0, null,
                List.of("analysis_reference", "analysis_scaled"), false))) {
            brokers.addAll(startCluster(logs, data));
            String bootstrap = String.join(",", brokers.stream().map(LocalRuntimeProcess::bootstrapServers).toList());
            int published = AnalysisRecoveryIT.publishSample(bootstrap);
            assertReplicatedEverywhere(bootstrap);

            ServiceProcess reference = analysis(projectDir, postgres, bootstrap, "analysis_reference", "reference",
                    logs.resolve("reference"), Map.of());
            try {
                reference.awaitReady(Duration.ofSeconds(120));
                awaitCaughtUp(bootstrap, "reference", Duration.ofMinutes(5));
            } finally {
                reference.close();
            }
            Map<String, java.util.Set<String>> expected = StateDigests.of(database(postgres, "analysis_reference"),
                    StateDigests.ANALYSIS);
            assertTrue(expected.get("mention").size() > AnalysisRecoveryIT.MENTIONS / 2);

            ServiceProcess first = analysis(projectDir, postgres, bootstrap, "analysis_scaled", "scaled",
                    logs.resolve("replica-1"), Map.of("mp.messaging.incoming.mentions.client-id-prefix", "replica-1/"));
            ServiceProcess second = analysis(projectDir, postgres, bootstrap, "analysis_scaled", "scaled",
                    logs.resolve("replica-2"), Map.of("mp.messaging.incoming.mentions.client-id-prefix", "replica-2/"));
            try {
                first.awaitReady(Duration.ofSeconds(120));
                second.awaitReady(Duration.ofSeconds(120));
                // Both replicas (each with two consumers) hold partitions of the topic before anything fails.
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                        .until(() -> membersWithPartitions(bootstrap, "scaled") == 2);
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50))
                        .until(() -> stored(postgres, "analysis_scaled") > AnalysisRecoveryIT.MENTIONS / 4);

                first.kill();
                brokers.get(1).kill(data.resolve("broker-2"));
                long storedAtKill = stored(postgres, "analysis_scaled");
                assertTrue(storedAtKill < published, "killed mid-stream: " + storedAtKill + " of " + published);

                awaitCaughtUp(bootstrap, "scaled", Duration.ofMinutes(5));
                assertEquals(1, membersWithPartitions(bootstrap, "scaled"), "the surviving replica holds them all");
            } finally {
                first.close();
                second.close();
            }
            StateDigests.assertSame(database(postgres, "analysis_reference"), database(postgres, "analysis_scaled"),
                    StateDigests.ANALYSIS, "two replicas on three brokers, one of each killed mid-stream");
        } finally {
            brokers.forEach(LocalRuntimeProcess::close);
        }
    }

    /** Three brokers, each in a process of its own, started together: each waits for a quorum of the others. */
    private static List<LocalRuntimeProcess> startCluster(Path logs, Path data) throws Exception {
        List<String> voters = new ArrayList<>();
        for (int id = 1; id <= BROKERS; id++) {
            voters.add(id + "@localhost:" + freePort());
        }
        ExecutorService starting = Executors.newFixedThreadPool(BROKERS);
        try {
            List<Future<LocalRuntimeProcess>> nodes = new ArrayList<>();
            for (int id = 1; id <= BROKERS; id++) {
                int node = id;
                nodes.add(starting.submit(() -> LocalRuntimeProcess.start(LocalRuntimeProcess.Settings.kafkaNode(
                        logs.resolve("broker-" + node + ".log"), data.resolve("broker-" + node),
                        List.of("--kafka-node-id", Integer.toString(node), "--kafka-voters", String.join(",", voters),
                                "--kafka-port", Integer.toString(freePort()),
                                "--partitions", Integer.toString(PARTITIONS))))));
            }
            List<LocalRuntimeProcess> started = new ArrayList<>();
            for (Future<LocalRuntimeProcess> node : nodes) {
                started.add(node.get(200, TimeUnit.SECONDS));
            }
            return started;
        } finally {
            starting.shutdown();
        }
    }

    /** The topic has its partitions, each on the three brokers, all in sync. */
    private static void assertReplicatedEverywhere(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            TopicDescription mentions = admin.describeTopics(List.of("mentions")).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get("mentions");
            assertEquals(PARTITIONS, mentions.partitions().size());
            for (TopicPartitionInfo p : mentions.partitions()) {
                assertEquals(BROKERS, p.replicas().size(), "replicas of " + p);
                assertEquals(BROKERS, p.isr().size(), "in-sync replicas of " + p);
            }
        }
    }

    /** How many replicas (client ids start with the replica's name) hold at least one partition of mentions. */
    private static long membersWithPartitions(String bootstrap, String group) throws Exception {
        return ConsumerLag.assignments(bootstrap, group, "mentions").keySet().stream()
                .map(client -> client.substring(0, client.indexOf('/'))).distinct().count();
    }

    private static ServiceProcess analysis(Path projectDir, LocalRuntimeProcess postgres, String bootstrap,
            String database, String group, Path logs, Map<String, String> extra) throws Exception {
        Map<String, String> config = AnalysisRecoveryIT.analysisConfig(postgres, bootstrap, database, group, 200);
        config.putAll(extra);
        // A dead replica's partitions move to the other soon.
        config.put("mp.messaging.incoming.mentions.session.timeout.ms", "6000");
        config.put("mp.messaging.incoming.mentions.heartbeat.interval.ms", "1000");
        return ServiceProcess.start(projectDir, "analysis-service", freePort(), config, logs);
    }

    private static void awaitCaughtUp(String bootstrap, String group, Duration patience) {
        await().atMost(patience).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> ConsumerLag.lag(bootstrap, group, ANALYSIS_TOPICS) == 0);
    }

    private static long stored(LocalRuntimeProcess postgres, String database) {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(database), postgres.postgresUser(),
                postgres.postgresPassword()); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*) from mention")) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException notYet) {
            return 0;
        }
    }

    private static StateDigests.Database database(LocalRuntimeProcess postgres, String database) {
        return new StateDigests.Database(postgres.jdbcUrl(database), postgres.postgresUser(),
                postgres.postgresPassword());
    }

    private static int freePort() throws java.io.IOException {
        return io.palabre.launcher.FreePorts.next();
    }
}
