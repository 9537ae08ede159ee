package io.palabre.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.palabre.launcher.ConsumerLag;
import io.palabre.launcher.PalabreStack;
import io.palabre.sample.SampleGenerator;

/**
 * Faults in the middle of the stream, with the packaged services, a real broker and a real PostgreSQL, each a
 * process of its own: the same sample (shuffled, with duplicates, edits and deletes) is imported through
 * ingest-service in chunks, and a listening query names the organisations' accounts half-way. Undisturbed first;
 * then with the broker killed (SIGKILL) and restarted; with PostgreSQL's server killed and restarted; and with each of
 * the three services killed with {@code kill -9} and restarted in turn. Every run must end with the same read model
 * on the dashboard (mentions, conversations, relationships, each mention's relationships, dialogue metrics) and the
 * same state in analysis-service (organisation interactions included), every consumer group caught up and every
 * service up. The test waits for conditions, never for fixed times.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultInjectionIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MENTIONS = 2400;
    private static final int CHUNKS = 6;
    private static final Instant START = Instant.parse("2026-06-01T00:00:00Z");
    private static final String DASHBOARD_TOPICS_GROUP = "dashboard-service";
    private static final List<String> DASHBOARD_TOPICS = List.of("conversations", "threaded-mentions",
            "relationships", "account-metrics");

    private static final Path PROJECT = Path.of(System.getProperty("palabre.project.dir", "..")).toAbsolutePath()
            .normalize();
    private static List<byte[]> chunks;
    private static String query;
    private static List<String> organisationAccounts;
    private static int distinctMentions;
    private static Outcome undisturbed;

    /** What a run ends with. */
    private record Outcome(Map<String, Set<String>> dashboard, Map<String, Set<String>> analysis,
            Map<String, JsonNode> dialogue) {
    }

    @BeforeAll
    static void sample() throws Exception {
        ContainerInfrastructure.assumeLocalRuntime("kills the broker's and PostgreSQL's processes");
        SampleGenerator generator = new SampleGenerator(21, START, Duration.ofDays(2));
        SampleGenerator.Sample sample = generator.generate(MENTIONS);
        List<String> lines = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        int i = 0;
        for (SampleGenerator.Event e : sample.events()) {
            ids.add(e.id());
            String json = MAPPER.writeValueAsString(e.json());
            lines.add(json);
            if (i % 25 == 0) {
                lines.add(json);
            }
            if (i % 31 == 0 && "post".equals(e.kind())) {
                ObjectNode edit = e.json().deepCopy();
                edit.put("kind", "edit");
                edit.put("createdAt", e.createdAt().plusSeconds(600).toString());
                edit.put("text", edit.get("text").asText() + " (edited)");
                lines.add(MAPPER.writeValueAsString(edit));
            }
            if (i % 47 == 0) {
                ObjectNode delete = e.json().deepCopy();
                delete.put("kind", "delete");
                delete.put("createdAt", e.createdAt().plusSeconds(1200).toString());
                delete.put("text", "");
                delete.putNull("repostOf"); // a delete names the post, whatever it was
                lines.add(MAPPER.writeValueAsString(delete));
            }
            i++;
        }
        Collections.shuffle(lines, new Random(9));
        distinctMentions = ids.size();
        chunks = new ArrayList<>();
        int size = (lines.size() + CHUNKS - 1) / CHUNKS;
        for (int c = 0; c < CHUNKS; c++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (String line : lines.subList(c * size, Math.min(lines.size(), (c + 1) * size))) {
                out.write(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.write('\n');
            }
            chunks.add(out.toByteArray());
        }
        ObjectNode q = MAPPER.createObjectNode().put("name", "Organisations").put("terms", "organisations");
        q.putArray("platforms").add("mastodon");
        ArrayNode own = q.putArray("organisationAccounts");
        organisationAccounts = new ArrayList<>();
        for (SampleGenerator.Organisation o : generator.organisations()) {
            for (SampleGenerator.Account a : o.accounts()) {
                own.add(a.id());
                organisationAccounts.add(a.id());
            }
        }
        q.put("enabled", false);
        query = q.toString();
    }

    @Test
    @Order(1)
    void undisturbed() throws Exception {
        try (KillableStack stack = start("undisturbed")) {
            importChunks(stack, 0, 3);
            createQuery(stack);
            importChunks(stack, 3, CHUNKS);
            undisturbed = outcome(stack);
        }
        assertEquals(distinctMentions, undisturbed.dashboard().get("mention").size());
        assertEquals(Set.copyOf(organisationAccounts), undisturbed.dialogue().keySet());
        assertTrue(undisturbed.dialogue().values().stream().anyMatch(m -> m.get("peopleMentions").asInt() > 0),
                undisturbed.dialogue().toString());
    }

    @Test
    @Order(2)
    void brokerKilledAndRestarted() throws Exception {
        try (KillableStack stack = start("broker")) {
            importChunks(stack, 0, 3);
            awaitFlowing(stack);
            CompletableFuture<Void>[] during = new CompletableFuture[1];
            stack.restartBrokerAfterKill(() -> {
                // The query change is saved even without a broker, and published once it is back.
                createQuery(stack);
                during[0] = CompletableFuture.runAsync(() -> importChunks(stack, 3, 4));
            });
            during[0].join();
            importChunks(stack, 4, CHUNKS);
            assertSameAsUndisturbed(outcome(stack), "broker killed and restarted");
        }
    }

    @Test
    @Order(3)
    void postgresKilledAndRestarted() throws Exception {
        try (KillableStack stack = start("postgres")) {
            importChunks(stack, 0, 3);
            awaitFlowing(stack);
            CompletableFuture<Void>[] during = new CompletableFuture[1];
            stack.restartPostgresAfterKill(() -> {
                // Answered 503 while ingest's database is away, and tried again until it is back.
                during[0] = CompletableFuture.runAsync(() -> importChunks(stack, 3, 4));
            });
            during[0].join();
            createQuery(stack);
            importChunks(stack, 4, CHUNKS);
            assertSameAsUndisturbed(outcome(stack), "PostgreSQL killed and restarted");
        }
    }

    @Test
    @Order(4)
    void eachServiceKilledAndRestarted() throws Exception {
        try (KillableStack stack = start("services")) {
            importChunks(stack, 0, 2);
            CompletableFuture<Void> importing = CompletableFuture.runAsync(() -> importChunks(stack, 2, 3));
            stack.restartServiceAfterKill("ingest-service");
            importing.join();
            createQuery(stack);
            importChunks(stack, 3, 4);
            awaitFlowing(stack);
            stack.restartServiceAfterKill("analysis-service");
            importChunks(stack, 4, 5);
            stack.restartServiceAfterKill("dashboard-service");
            importChunks(stack, 5, CHUNKS);
            assertSameAsUndisturbed(outcome(stack), "each service killed with kill -9 and restarted");
        }
    }

    private static KillableStack start(String run) throws Exception {
        Path logs = Path.of("target", "fault-logs", run).toAbsolutePath();
        return KillableStack.start(PROJECT, Files.createTempDirectory("palabre-fault-" + run + "-"), logs);
    }

    /** Imports chunks [from, to), each again until ingest has accepted all of it (a retry publishes duplicates). */
    private static void importChunks(KillableStack stack, int from, int to) {
        for (int c = from; c < to; c++) {
            byte[] chunk = chunks.get(c);
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> {
                HttpResponse<String> r = PalabreStack.importNdjson(stack.url("ingest-service"), Api.ADMIN.token(), chunk);
                JsonNode report = MAPPER.readTree(r.body());
                return r.statusCode() == 202 && report.get("failed").asLong() == 0
                        && report.get("rejected").asLong() == 0;
            });
        }
    }

    private static void createQuery(KillableStack stack) {
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> {
            HttpResponse<String> r = Api.HTTP.send(Api.request(stack.url("ingest-service")
                    + "/api/queries").timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(query)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 201 || r.statusCode() == 409;
        });
    }

    /** Mentions are reaching the dashboard: the fault lands mid-stream. */
    private static void awaitFlowing(KillableStack stack) {
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> count(stack.database("dashboard-service"), "select count(*) from mention") > 0);
    }

    /** Waits until everything is caught up and stays so, then reads what the run ends with. */
    private static Outcome outcome(KillableStack stack) throws Exception {
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .during(Duration.ofSeconds(3)).until(() -> caughtUp(stack));
        assertTrue(stack.servicesAlive(), "every service still runs");
        Map<String, JsonNode> dialogue = new TreeMap<>();
        for (String account : organisationAccounts) {
            ObjectNode metrics = (ObjectNode) Api.get(stack.url("dashboard-service") + "/api/dialogue/"
                    + Api.encode(account) + "?from=" + START.minus(Duration.ofDays(1)) + "&to="
                    + START.plus(Duration.ofDays(4)));
            metrics.remove("computedAt");
            dialogue.put(account, metrics);
        }
        return new Outcome(StateDigests.of(stack.database("dashboard-service"), StateDigests.DASHBOARD),
                StateDigests.of(stack.database("analysis-service"), StateDigests.ANALYSIS), dialogue);
    }

    private static boolean caughtUp(KillableStack stack) throws Exception {
        return ConsumerLag.lag(stack.bootstrapServers(), "analysis-service", List.of("mentions",
                "routed-mentions")) == 0
                && ConsumerLag.lag(stack.bootstrapServers(), DASHBOARD_TOPICS_GROUP, DASHBOARD_TOPICS) == 0
                && count(stack.database("ingest-service"), "select count(*) from outbox") == 0
                && count(stack.database("dashboard-service"), "select count(*) from mention") == distinctMentions
                && count(stack.database("analysis-service"), "select count(distinct account_id) from "
                        + "organisation_account") == organisationAccounts.size()
                && Api.get(stack.url("dashboard-service") + "/api/dialogue").size() == organisationAccounts.size();
    }

    private static void assertSameAsUndisturbed(Outcome run, String when) {
        assertTrue(undisturbed != null, "the undisturbed run comes first");
        StateDigests.assertSame(undisturbed.dashboard(), run.dashboard(), when + ", dashboard read model");
        StateDigests.assertSame(undisturbed.analysis(), run.analysis(), when + ", analysis state");
        assertEquals(undisturbed.dialogue(), run.dialogue(), when + ", dialogue metrics");
    }

    private static long count(StateDigests.Database database, String sql) throws Exception {
        try (Connection c = database.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
