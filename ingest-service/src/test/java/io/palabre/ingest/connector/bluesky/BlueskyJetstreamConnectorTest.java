package io.palabre.ingest.connector.bluesky;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import java.sql.Connection;
import java.sql.PreparedStatement;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import io.agroal.api.AgroalDataSource;
import io.palabre.ingest.connector.ConnectorState;
import io.palabre.ingest.connector.FakePlatform;
import io.palabre.ingest.query.QueryRequest;
import io.palabre.ingest.query.QueryService;
import io.palabre.testing.Contracts;
import io.palabre.testing.LocalRuntimeResource;
import io.palabre.testing.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The Jetstream connector against a local WebSocket server replaying the recorded golden events, publishing to
 * the real broker and saving its cursor in the real PostgreSQL.
 */
@QuarkusTest
@WithTestResource(LocalRuntimeResource.class)
@WithTestResource(FakeJetstreamResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BlueskyJetstreamConnectorTest {

    private static final io.quarkus.security.identity.SecurityIdentity OPERATOR =
            io.palabre.support.security.Identities.of("test-operator", io.palabre.support.security.Role.OPERATOR, "test");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    BlueskyJetstreamConnector connector;

    @Inject
    QueryService queries;

    @Inject
    ConnectorState state;

    @Inject
    AgroalDataSource dataSource;

    @Test
    @Order(1)
    void matchingPostsArePublishedTheCursorIsSavedAndAStallReconnectsFromIt() throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> !FakeJetstreamResource.CONNECTIONS.isEmpty());
        assertTrue(FakeJetstreamResource.CONNECTIONS.get(0).contains("wantedCollections=app.bsky.feed.post"));
        String name = "rsv-" + UUID.randomUUID().toString().substring(0, 6);
        queries.create(new QueryRequest(name, "rsv OR \"good time\"", List.of(), List.of(), List.of("bluesky"),
                List.of(), true), OPERATOR);
        connector.refreshQueries();

        List<String> golden = Arrays.stream(FakePlatform.fixture("bluesky-jetstream-v1-golden-events.ndjson")
                .split("\n")).filter(l -> !l.isBlank()).toList();
        // The matching post is a reply: the AppView returns its parent, which is published as context.
        String parentUri = golden.stream().map(Contracts::tree)
                .filter(e -> "app.bsky.feed.post".equals(e.path("commit").path("collection").asText()))
                .findFirst().orElseThrow().path("commit").path("record").path("reply").path("parent").path("uri")
                .asText();
        com.fasterxml.jackson.databind.node.ObjectNode thread = (com.fasterxml.jackson.databind.node.ObjectNode)
                Contracts.tree(FakePlatform.fixture("bluesky-getpostthread-response.json"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) thread.path("thread").path("post")).put("uri", parentUri);
        FakeJetstreamResource.thread = thread.toString();
        FakeJetstreamResource.send(golden);

        List<ConsumerRecord<String, String>> records = TopicRecords.readUntil(bootstrap, "mentions",
                rs -> rs.stream().anyMatch(r -> r.value().contains(name)), Duration.ofSeconds(30));
        List<JsonNode> ours = records.stream().filter(r -> r.value().contains(name))
                .map(r -> Contracts.tree(r.value())).toList();
        assertEquals(1, ours.size(), "only the post matching the query: " + ours);
        assertEquals("bluesky-jetstream", ours.get(0).get("source").get("connector").asText());
        assertTrue(ours.get(0).get("text").asText().contains("RSV"));

        List<ConsumerRecord<String, String>> context = TopicRecords.readUntil(bootstrap, "mentions",
                rs -> rs.stream().anyMatch(r -> r.value().contains(parentUri + "\"")), Duration.ofSeconds(30));
        JsonNode parent = context.stream().map(r -> Contracts.tree(r.value()))
                .filter(n -> n.get("id").asText().equals("bluesky:" + parentUri)).findFirst().orElseThrow();
        assertTrue(parent.get("source").get("context").asBoolean(), parent.toString());
        assertTrue(FakeJetstreamResource.APPVIEW_REQUESTS.get(0).contains("parentHeight="));

        long lastTimeUs = Contracts.tree(golden.get(golden.size() - 1)).get("time_us").asLong();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> state.cursor(BlueskyJetstreamConnector.NAME, "firehose").orElse("")
                        .equals(Long.toString(lastTimeUs)));

        // Nothing more comes: after the stall timeout the connector reconnects, resuming before its cursor.
        await().atMost(Duration.ofSeconds(30)).until(() -> FakeJetstreamResource.CONNECTIONS.size() >= 2);
        String resumed = FakeJetstreamResource.CONNECTIONS.get(1);
        assertTrue(resumed.contains("cursor=" + (lastTimeUs - 5_000_000)), resumed);
        assertTrue(connector.status().lastError.startsWith("stalled"), connector.status().lastError);
    }

    @Test
    @Order(2)
    void deletesAreForwardedForAuthorsCapturedBeforeARestartAndOnlyForThem() throws Exception {
        String p = UUID.randomUUID().toString().substring(0, 8);
        String known = "did:plc:" + p + "known";
        String unknown = "did:plc:" + p + "unknown";
        // As an earlier run of the service left it: a post of this author was published, the process restarted.
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into captured_author (author_id, first_captured_at) values (?, now())")) {
            ps.setString(1, "bluesky:" + known);
            ps.executeUpdate();
        }
        await().atMost(Duration.ofSeconds(30)).until(connector::healthy);
        long now = System.currentTimeMillis() * 1000;
        FakeJetstreamResource.send(List.of(delete(unknown, "gone1", now), delete(known, "gone2", now + 1)));
        List<ConsumerRecord<String, String>> records = TopicRecords.readUntil(bootstrap, "mentions",
                rs -> rs.stream().anyMatch(r -> r.value().contains(known)), Duration.ofSeconds(30));
        JsonNode forwarded = records.stream().filter(r -> r.value().contains(known)).map(r -> Contracts.tree(r.value()))
                .findFirst().orElseThrow();
        assertEquals("delete", forwarded.get("kind").asText());
        assertEquals("bluesky:at://" + known + "/app.bsky.feed.post/gone2", forwarded.get("id").asText());
        assertTrue(records.stream().noneMatch(r -> r.value().contains(unknown)),
                "nothing of an author no stream captured can be held, so its delete is not forwarded");
    }

    private static String delete(String did, String rkey, long timeUs) {
        return "{\"did\":\"" + did + "\",\"time_us\":" + timeUs + ",\"kind\":\"commit\",\"commit\":{\"rev\":\"3l\","
                + "\"operation\":\"delete\",\"collection\":\"app.bsky.feed.post\",\"rkey\":\"" + rkey + "\"}}";
    }
}
