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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.palabre.launcher.ConsumerLag;
import io.palabre.launcher.LocalRuntimeProcess;
import io.palabre.launcher.ServiceProcess;
import io.palabre.sample.SampleGenerator;

/**
 * Exactness under failure, with the packaged analysis-service, the real broker and the real PostgreSQL. The same
 * topic (a generated sample in shuffled order, with duplicates, edits and deletes) is processed three ways: by an
 * instance that runs undisturbed; by an instance killed with SIGKILL mid-stream and restarted; and by that same
 * instance again after its consumer group is rewound to the start of the topic (a full replay). The stored state
 * (mentions, conversations, relationships, accounts, organisation interactions) must be identical in all three.
 */
class AnalysisRecoveryIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final int MENTIONS = 12_000;

    @Test
    void killedAndReplayedAnalysisEndsInTheSameStateAsAnUndisturbedOne() throws Exception {
        Path projectDir = Path.of(System.getProperty("palabre.project.dir", "..")).toAbsolutePath().normalize();
        Path logs = Path.of("target", "recovery-logs").toAbsolutePath();
        try (LocalRuntimeProcess runtime = LocalRuntimeProcess.start(new LocalRuntimeProcess.Settings(
                logs.resolve("runtime.log"), Files.createTempDirectory("palabre-recovery-"), 0, 0, null,
                List.of("analysis_reference", "analysis_killed")))) {
            int published = publishSample(runtime.bootstrapServers());

            runToTheEnd(projectDir, runtime, "analysis_reference", "reference", logs);
            Map<String, java.util.Set<String>> expected = StateDigests.of(database(runtime, "analysis_reference"),
                    StateDigests.ANALYSIS);
            assertTrue(expected.get("mention").size() > MENTIONS / 2, "mentions stored: " + expected.get("mention")
                    .size());
            assertTrue(expected.get("conversation").stream().anyMatch(row -> row.endsWith(",t)")),
                    "conversations the organisations took part in");

            ServiceProcess killed = analysis(projectDir, runtime, "analysis_killed", "killed", logs);
            killed.awaitReady(Duration.ofSeconds(120));
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50))
                    .until(() -> committed(runtime, "killed") > 0 || stored(runtime, "analysis_killed") > MENTIONS / 4);
            long storedAtKill = stored(runtime, "analysis_killed");
            killed.kill();
            assertTrue(storedAtKill < published, "killed mid-stream: " + storedAtKill + " of " + published);

            runToTheEnd(projectDir, runtime, "analysis_killed", "killed", logs);
            assertSameState(runtime, "analysis_reference", "analysis_killed", "after kill -9 and restart");

            rewind(runtime, "killed");
            runToTheEnd(projectDir, runtime, "analysis_killed", "killed", logs);
            assertSameState(runtime, "analysis_reference", "analysis_killed", "after replaying the whole topic");
        }
    }

    /** The sample shuffled (replies before parents), every 20th record twice, some edits and deletes. */
    static int publishSample(String bootstrap) throws Exception {
        SampleGenerator generator = new SampleGenerator(11, Instant.parse("2026-05-01T00:00:00Z"), Duration.ofDays(2));
        SampleGenerator.Sample sample = generator.generate(MENTIONS);
        List<String[]> records = new ArrayList<>();
        int i = 0;
        for (SampleGenerator.Event e : sample.events()) {
            String json = MAPPER.writeValueAsString(e.json());
            records.add(new String[] { e.key(), json });
            if (i % 20 == 0) {
                records.add(new String[] { e.key(), json });
            }
            if (i % 37 == 0 && "post".equals(e.kind())) {
                ObjectNode edit = e.json().deepCopy();
                edit.put("kind", "edit");
                edit.put("text", edit.get("text").asText() + " (edited)");
                edit.putArray("mentions");
                records.add(new String[] { e.key(), MAPPER.writeValueAsString(edit) });
            }
            if (i % 53 == 0) {
                ObjectNode delete = e.json().deepCopy();
                delete.put("kind", "delete");
                delete.put("text", "");
                records.add(new String[] { e.key(), MAPPER.writeValueAsString(delete) });
            }
            i++;
        }
        Collections.shuffle(records, new Random(5));
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            StringBuilder query = new StringBuilder("{\"id\":\"sample-organisations\",\"name\":\"Organisations\","
                    + "\"organisationAccounts\":[");
            String separator = "";
            for (SampleGenerator.Organisation o : generator.organisations()) {
                for (SampleGenerator.Account a : o.accounts()) {
                    query.append(separator).append('"').append(a.id()).append('"');
                    separator = ",";
                }
            }
            producer.send(new ProducerRecord<>("queries", "sample-organisations", query.append("]}").toString()));
            for (String[] r : records) {
                producer.send(new ProducerRecord<>("mentions", r[0], r[1]));
            }
            producer.flush();
        }
        return records.size();
    }

    private static ServiceProcess analysis(Path projectDir, LocalRuntimeProcess runtime, String database,
            String group, Path logs) throws Exception {
        return ServiceProcess.start(projectDir, "analysis-service", freePort(),
                analysisConfig(runtime, runtime.bootstrapServers(), database, group, 300), logs.resolve(group));
    }

    /**
     * analysis-service on this database and consumer group, without scheduled graph metrics, reading small polls so
     * that a kill lands between committed batches.
     */
    static Map<String, String> analysisConfig(LocalRuntimeProcess postgres, String bootstrap, String database,
            String group, int maxPollRecords) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("kafka.bootstrap.servers", bootstrap);
        config.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl(database));
        config.put("quarkus.datasource.username", postgres.postgresUser());
        config.put("quarkus.datasource.password", postgres.postgresPassword());
        config.put("mp.messaging.incoming.mentions.group.id", group);
        config.put("mp.messaging.incoming.mentions.max.poll.records", Integer.toString(maxPollRecords));
        config.put("palabre.analysis.metrics.enabled", "false");
        return config;
    }

    /** Starts analysis-service, waits until it has consumed the whole topic, and stops it. */
    private static void runToTheEnd(Path projectDir, LocalRuntimeProcess runtime, String database, String group,
            Path logs) throws Exception {
        ServiceProcess service = analysis(projectDir, runtime, database, group, logs);
        try {
            service.awaitReady(Duration.ofSeconds(120));
            awaitCaughtUp(runtime, group, Duration.ofMinutes(5));
        } finally {
            service.close();
        }
    }

    private static void awaitCaughtUp(LocalRuntimeProcess runtime, String group, Duration patience) {
        await().atMost(patience).pollInterval(Duration.ofMillis(500)).until(() -> lag(runtime, group) == 0);
    }

    private static long lag(LocalRuntimeProcess runtime, String group) throws Exception {
        return ConsumerLag.lag(runtime.bootstrapServers(), group, List.of("mentions", "routed-mentions"));
    }

    private static long committed(LocalRuntimeProcess runtime, String group) throws Exception {
        return ConsumerLag.committed(runtime.bootstrapServers(), group);
    }

    private static void rewind(LocalRuntimeProcess runtime, String group) throws Exception {
        await().atMost(Duration.ofMinutes(1)).ignoreExceptions().until(() -> {
            ConsumerLag.rewind(runtime.bootstrapServers(), group);
            return true;
        });
        assertTrue(lag(runtime, group) > 0);
    }

    private static long stored(LocalRuntimeProcess runtime, String database) {
        try (Connection c = connect(runtime, database); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*) from mention")) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException notYet) {
            return 0;
        }
    }

    private static void assertSameState(LocalRuntimeProcess runtime, String reference, String database,
            String when) throws Exception {
        StateDigests.assertSame(database(runtime, reference), database(runtime, database), StateDigests.ANALYSIS,
                when);
    }

    private static StateDigests.Database database(LocalRuntimeProcess runtime, String database) {
        return new StateDigests.Database(runtime.jdbcUrl(database), runtime.postgresUser(),
                runtime.postgresPassword());
    }

    private static Connection connect(LocalRuntimeProcess runtime, String database) throws java.sql.SQLException {
        return DriverManager.getConnection(runtime.jdbcUrl(database), runtime.postgresUser(),
                runtime.postgresPassword());
    }

    private static int freePort() throws java.io.IOException {
        return io.palabre.launcher.FreePorts.next();
    }
}
