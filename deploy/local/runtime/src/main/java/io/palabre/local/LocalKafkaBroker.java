package io.palabre.local;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/**
 * An Apache Kafka node in KRaft combined mode (broker and controller in one): alone, or one of a cluster whose
 * controllers vote together, every topic replicated on {@code replication} nodes and writes acknowledged by at least
 * two of them when there are several.
 */
public final class LocalKafkaBroker implements AutoCloseable {

    private final KafkaRaftServer server;
    private final String bootstrapServers;

    private LocalKafkaBroker(KafkaRaftServer server, String bootstrapServers) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /** One node of a cluster: its id and its controller port. */
    public record Voter(int id, int controllerPort) {

        @Override
        public String toString() {
            return id + "@localhost:" + controllerPort;
        }
    }

    /** Voters written as Kafka writes them: {@code 1@localhost:9093,2@localhost:9094}. */
    public static List<Voter> parseVoters(String voters) {
        return java.util.Arrays.stream(voters.split(",")).map(String::trim).filter(v -> !v.isEmpty()).map(v -> {
            int at = v.indexOf('@');
            int colon = v.lastIndexOf(':');
            if (at < 1 || colon < at) {
                throw new IllegalArgumentException("not a voter (id@host:port): " + v);
            }
            return new Voter(Integer.parseInt(v.substring(0, at)), Integer.parseInt(v.substring(colon + 1)));
        }).toList();
    }

    /** A cluster's shape: its id (the same on every node), its voters and the replication factor of its topics. */
    public record Cluster(String id, List<Voter> voters, int replication) {
    }

    /**
     * Formats the storage if it is new, starts a single-node broker and waits until it answers.
     *
     * @param port the client port, 0 for a free one
     * @param controllerPort the controller port, 0 for a free one
     * @param dataDir the log directory, kept between runs
     * @param partitions the default partition count of topics created on demand
     */
    public static LocalKafkaBroker start(int port, int controllerPort, Path dataDir, int partitions)
            throws Exception {
        int quorumPort = controllerPort == 0 ? FreePorts.find() : controllerPort;
        Cluster alone = new Cluster(Uuid.randomUuid().toString(), List.of(new Voter(1, quorumPort)), 1);
        return start(1, port, alone, dataDir, partitions);
    }

    /**
     * Formats the storage if it is new, starts node {@code nodeId} of the cluster and waits until it answers. The
     * other voters must start too: a node answers once a majority of the controllers has formed a quorum.
     */
    public static LocalKafkaBroker start(int nodeId, int port, Cluster cluster, Path dataDir, int partitions)
            throws Exception {
        int clientPort = port == 0 ? FreePorts.find() : port;
        Voter self = cluster.voters().stream().filter(v -> v.id() == nodeId).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("node " + nodeId + " is not among the voters "
                        + cluster.voters()));
        int quorumPort = self.controllerPort();
        Files.createDirectories(dataDir);
        String replication = Integer.toString(cluster.replication());
        // Several nodes: a write is acknowledged by two of them, so one may fail without losing it.
        String minInSync = cluster.replication() > 1 ? "2" : "1";

        Properties props = new Properties();
        props.put("node.id", Integer.toString(nodeId));
        props.put("process.roles", "broker,controller");
        props.put("controller.quorum.voters", String.join(",", cluster.voters().stream().map(Voter::toString)
                .toList()));
        props.put("listeners", "PLAINTEXT://localhost:" + clientPort + ",CONTROLLER://localhost:" + quorumPort);
        props.put("advertised.listeners", "PLAINTEXT://localhost:" + clientPort);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("log.dirs", dataDir.toString());
        // Internal topics have one partition so that groups join fast.
        props.put("num.partitions", Integer.toString(partitions));
        props.put("default.replication.factor", replication);
        props.put("min.insync.replicas", minInSync);
        props.put("offsets.topic.replication.factor", replication);
        props.put("offsets.topic.num.partitions", "1");
        props.put("transaction.state.log.replication.factor", replication);
        props.put("transaction.state.log.min.isr", minInSync);
        props.put("transaction.state.log.num.partitions", "1");
        props.put("share.coordinator.state.topic.replication.factor", replication);
        props.put("share.coordinator.state.topic.min.isr", minInSync);
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "true");
        props.put("log.retention.hours", "-1");
        props.put("message.max.bytes", Integer.toString(4 * 1024 * 1024));

        KafkaConfig config = new KafkaConfig(props, false);
        if (!Files.exists(dataDir.resolve("meta.properties"))) {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(nodeId)
                    .setClusterId(cluster.id())
                    .setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .setDirectories(List.of(dataDir.toString()))
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .run();
        }
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        String bootstrap = "localhost:" + clientPort;
        try {
            server.startup();
            awaitReady(bootstrap, Duration.ofSeconds(60));
        } catch (Exception e) {
            server.shutdown();
            throw e;
        }
        return new LocalKafkaBroker(server, bootstrap);
    }

    private static void awaitReady(String bootstrap, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception notYet) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("Kafka broker at " + bootstrap + " not ready after " + timeout,
                                notYet);
                    }
                }
                Thread.sleep(50);
            }
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
