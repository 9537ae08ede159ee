package io.palabre.system;

import static io.palabre.system.Api.HTTP;
import static io.palabre.system.Api.encode;
import static io.palabre.system.Api.get;
import static io.palabre.system.Api.status;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.palabre.launcher.PalabreStack;
import io.palabre.sample.SampleGenerator;

/**
 * The three packaged services, the real Kafka broker and the real PostgreSQL, started as the run command starts
 * them: an import goes through ingest, Kafka, analysis and Kafka again to the dashboard's API. Nothing is stubbed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    private static PalabreStack stack;
    private static SampleGenerator.Sample sample;
    private static byte[] sampleFile;

    @BeforeAll
    static void startPalabre() throws Exception {
        Path projectDir = Path.of(System.getProperty("palabre.project.dir", "..")).toAbsolutePath().normalize();
        Path work = Files.createTempDirectory("palabre-e2e-");
        stack = PalabreStack.start(Api.settings(projectDir, work.resolve("data"),
                Path.of("target", "e2e-logs").toAbsolutePath()));
        sample = new SampleGenerator(7, Instant.parse("2026-03-01T00:00:00Z"), Duration.ofDays(3)).generate(1500);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (SampleGenerator.Event e : sample.events()) {
            out.write(MAPPER.writeValueAsBytes(e.json()));
            out.write('\n');
        }
        sampleFile = out.toByteArray();
    }

    @AfterAll
    static void stopPalabre() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void importedSampleBecomesConversationsWithReplyTreesOnTheDashboard() throws Exception {
        JsonNode report = importFile(sampleFile);
        assertEquals(sample.events().size(), report.get("accepted").asInt(), report.toString());
        assertEquals(0, report.get("rejected").asInt());

        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1))
                .until(() -> conversationIds().size() == sample.conversations().size());
        assertEquals(sample.conversations(), conversationIds());

        // The deepest generated thread comes back with the same mentions, nested as they were written.
        Map<String, String> parentOf = new HashMap<>();
        Map<String, List<String>> byConversation = new HashMap<>();
        for (SampleGenerator.Event e : sample.events()) {
            if (e.json().hasNonNull("replyTo")) {
                parentOf.put(e.id(), e.json().get("replyTo").get("id").asText());
            }
            byConversation.computeIfAbsent(e.conversationId(), k -> new ArrayList<>()).add(e.id());
        }
        String deepest = null;
        int deepestDepth = -1;
        for (String conversation : sample.conversations()) {
            for (String id : byConversation.get(conversation)) {
                int depth = 0;
                for (String p = id; parentOf.containsKey(p); p = parentOf.get(p)) {
                    depth++;
                }
                if (depth > deepestDepth) {
                    deepestDepth = depth;
                    deepest = conversation;
                }
            }
        }
        assertTrue(deepestDepth >= 3, "the sample has threads of several levels");
        JsonNode detail = get(stack.dashboardUrl() + "/api/conversations/" + encode(deepest));
        // The tree carries an ETag: asking again with it costs a 304 and no body.
        HttpResponse<String> first = HTTP.send(Api.request(stack.dashboardUrl()
                + "/api/conversations/" + encode(deepest)).build(), HttpResponse.BodyHandlers.ofString());
        String etag = first.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = HTTP.send(Api.request(stack.dashboardUrl()
                + "/api/conversations/" + encode(deepest)).header("If-None-Match", etag).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(304, again.statusCode());
        assertEquals("", again.body());
        HttpResponse<String> volume = HTTP.send(Api.request(stack.dashboardUrl()
                + "/api/timeseries?interval=day&from=2026-02-01T00:00:00Z&to=2026-04-01T00:00:00Z").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("private, max-age=10", volume.headers().firstValue("Cache-Control").orElse(null));
        assertEquals(deepestDepth, detail.get("conversation").get("depth").asInt());
        assertEquals(byConversation.get(deepest).size(), detail.get("mentionsShown").asInt());
        Map<String, String> servedParents = new HashMap<>();
        collectParents(detail.get("tree"), null, servedParents);
        for (String id : byConversation.get(deepest)) {
            assertEquals(parentOf.get(id), servedParents.get(id), "parent of " + id);
        }
    }

    @Test
    @Order(2)
    void importingTheSameFileTwiceChangesNoCounts() throws Exception {
        JsonNode analysisBefore = get(stack.analysisUrl() + "/api/analysis/status");
        List<String> conversationsBefore = conversationStates();
        double received = metric(stack.analysisUrl(), "palabre_analysis_mentions_received_total");
        double applied = metric(stack.dashboardUrl(), "palabre_dashboard_results_applied_total");

        JsonNode report = importFile(sampleFile);
        assertEquals(sample.events().size(), report.get("accepted").asInt());

        await().atMost(PATIENCE).until(() -> metric(stack.analysisUrl(), "palabre_analysis_mentions_received_total")
                >= received + sample.events().size());
        // Every mention is published again (idempotently), so the dashboard has applied at least as many results.
        await().atMost(PATIENCE).until(() -> metric(stack.dashboardUrl(), "palabre_dashboard_results_applied_total")
                >= applied + sample.events().size() - sample.reposts());
        assertEquals(withoutMetricsRun(analysisBefore), withoutMetricsRun(get(stack.analysisUrl()
                + "/api/analysis/status")));
        assertEquals(conversationsBefore, conversationStates());
    }

    @Test
    @Order(3)
    void malformedLineIsRejectedWithItsReasonAndTheGoodLinesAroundItLand() throws Exception {
        String first = sample.events().get(0).json().deepCopy().put("id", "x:900000000000000001")
                .put("platform", "x").toString();
        String second = first.replace("x:900000000000000001", "x:900000000000000002");
        // Both are X posts by an X author.
        first = withXAuthor(first);
        second = withXAuthor(second);
        String body = first + "\n{\"id\": \"x:3\", \"platform\": \"x\"\n" + second + "\n";
        JsonNode report = importFile(body.getBytes(StandardCharsets.UTF_8));
        assertEquals(2, report.get("accepted").asInt(), report.toString());
        assertEquals(1, report.get("rejected").asInt());
        assertEquals(2, report.get("problems").get(0).get("line").asInt());
        assertTrue(report.get("problems").get(0).get("reason").asText().startsWith("not JSON"));
        for (String id : List.of("x:900000000000000001", "x:900000000000000002")) {
            await().atMost(PATIENCE).until(() -> status(stack.dashboardUrl() + "/api/mentions/" + encode(id)) == 200);
        }
    }

    /** Dialogue metrics without what names their window. */
    private static JsonNode withoutWindow(JsonNode metrics) {
        com.fasterxml.jackson.databind.node.ObjectNode copy = (com.fasterxml.jackson.databind.node.ObjectNode) metrics
                .deepCopy();
        copy.remove(List.of("window", "from", "to", "computedAt"));
        return copy;
    }

    @Test
    @Order(4)
    void relationshipsGraphMetricsAndDialogueReachTheDashboard() throws Exception {
        SampleGenerator.Organisation acme = new SampleGenerator(7, Instant.parse("2026-03-01T00:00:00Z"),
                Duration.ofDays(3)).organisations().get(0);
        com.fasterxml.jackson.databind.node.ObjectNode query = MAPPER.createObjectNode();
        query.put("name", acme.name());
        query.put("terms", "acme");
        var own = query.putArray("organisationAccounts");
        var platforms = query.putArray("platforms");
        for (SampleGenerator.Account a : acme.accounts()) {
            own.add(a.id());
            platforms.add(a.platform());
        }
        query.put("enabled", false);
        HttpResponse<String> created = HTTP.send(Api.request(stack.ingestUrl()
                + "/api/queries").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(query.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());

        String mastodonAcme = acme.accountOn("mastodon").id();
        // The dashboard learns the organisation's accounts from the query, and computes their dialogue metrics.
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2)).until(() -> status(
                stack.dashboardUrl() + "/api/dialogue/" + encode(mastodonAcme) + "?window=all") == 200);
        JsonNode dialogue = get(stack.dashboardUrl() + "/api/dialogue/" + encode(mastodonAcme) + "?window=all");
        assertTrue(dialogue.get("peopleMentions").asInt() > 0, dialogue.toString());
        assertTrue(dialogue.get("answered").asInt() > 0, dialogue.toString());
        assertTrue(dialogue.get("answered").asInt() < dialogue.get("peopleMentions").asInt(), dialogue.toString());

        // Graph metrics come with analysis-service's next metrics run.
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2)).until(() -> get(
                stack.dashboardUrl() + "/api/accounts?sort=pagerank&limit=5").get("items").size() == 5);
        JsonNode accounts = get(stack.dashboardUrl() + "/api/accounts?sort=pagerank&limit=5");
        assertEquals(5, accounts.get("items").size(), accounts.toString());
        assertTrue(accounts.get("items").get(0).get("pagerank").asDouble()
                >= accounts.get("items").get(4).get("pagerank").asDouble());
        JsonNode graph = get(stack.dashboardUrl() + "/api/graph?type=reply&limit=100");
        assertEquals(100, graph.get("edges").size(), "the sample has more than 100 reply relationships");
        assertTrue(graph.get("pruning").get("pruned").asBoolean());
        JsonNode self = get(stack.dashboardUrl() + "/api/accounts/" + encode(mastodonAcme));
        assertTrue(self.get("topPartners").size() > 0, self.toString());
        // Partners come with the names their posts carry (an account only ever named by others has none).
        assertTrue(java.util.stream.StreamSupport.stream(self.get("topPartners").spliterator(), false)
                .anyMatch(partner -> partner.hasNonNull("handle") && partner.hasNonNull("platform")), self.toString());

        // Any window, computed from the read model: one that holds the whole sample says what all time says.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> assertEquals(
                withoutWindow(get(stack.dashboardUrl() + "/api/dialogue/" + encode(mastodonAcme) + "?window=all")),
                withoutWindow(get(stack.dashboardUrl() + "/api/dialogue/" + encode(mastodonAcme)
                        + "?from=2026-02-01T00:00:00Z&to=2026-04-01T00:00:00Z"))));
        String window = "?from=2026-03-01T00:00:00Z&to=2026-03-03T12:00:00Z";
        JsonNode byDashboard = get(stack.dashboardUrl() + "/api/dialogue/" + encode(mastodonAcme) + window);
        assertTrue(byDashboard.get("peopleMentions").asInt() > 0, byDashboard.toString());
        // Over time: people's mentions and answers per bucket add up to the window's.
        JsonNode timeline = get(stack.dashboardUrl() + "/api/dialogue/" + encode(mastodonAcme)
                + "/timeline?interval=hour" + window.replace('?', '&'));
        assertEquals(60, timeline.get("points").size());
        int mentions = 0;
        int answered = 0;
        for (JsonNode point : timeline.get("points")) {
            mentions += point.get("peopleMentions").asInt();
            answered += point.get("answered").asInt();
        }
        assertEquals(byDashboard.get("peopleMentions").asInt(), mentions);
        assertEquals(byDashboard.get("answered").asInt(), answered);
    }

    private static JsonNode withoutMetricsRun(JsonNode status) {
        com.fasterxml.jackson.databind.node.ObjectNode copy = status.deepCopy();
        copy.remove("metrics");
        return copy;
    }

    private static String withXAuthor(String json) throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode node = (com.fasterxml.jackson.databind.node.ObjectNode) MAPPER
                .readTree(json);
        ((com.fasterxml.jackson.databind.node.ObjectNode) node.get("author")).put("id", "x:42");
        node.putNull("replyTo");
        node.putNull("conversationId");
        node.putNull("quoteOf");
        node.putArray("mentions");
        return node.toString();
    }

    private static void collectParents(JsonNode nodes, String parent, Map<String, String> parents) {
        for (JsonNode node : nodes) {
            String id = node.get("mention").get("id").asText();
            String missing = node.get("missingParentId").isNull() ? null : node.get("missingParentId").asText();
            parents.put(id, parent != null ? parent : missing);
            collectParents(node.get("replies"), id, parents);
        }
    }

    private static Set<String> conversationIds() throws Exception {
        Set<String> ids = new HashSet<>();
        String cursor = null;
        do {
            JsonNode page = get(stack.dashboardUrl() + "/api/conversations?limit=200"
                    + (cursor == null ? "" : "&cursor=" + cursor));
            page.get("items").forEach(c -> ids.add(c.get("id").asText()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        } while (cursor != null);
        return ids;
    }

    private static List<String> conversationStates() throws Exception {
        List<String> states = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = get(stack.dashboardUrl() + "/api/conversations?limit=200"
                    + (cursor == null ? "" : "&cursor=" + cursor));
            page.get("items").forEach(c -> states.add(c.get("id").asText() + " " + c.get("size") + " "
                    + c.get("depth") + " " + c.get("participants") + " " + c.get("lastActivityAt")));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        } while (cursor != null);
        states.sort(null);
        return states;
    }

    private static JsonNode importFile(byte[] body) throws Exception {
        HttpResponse<String> response = PalabreStack.importNdjson(stack.ingestUrl(), Api.ADMIN.token(), body);
        assertEquals(202, response.statusCode(), response.body());
        return MAPPER.readTree(response.body());
    }

    /**
     * The Grafana dashboard (deploy/grafana) asks only for metrics the services export, each seen in a /q/metrics of
     * this stack, or, for the connectors' metrics (made when a connector first polls, and connectors are off here),
     * named in ingest-service's code.
     */
    @Test
    @Order(99)
    void theGrafanaDashboardAsksForMetricsTheServicesExport() throws Exception {
        Set<String> exported = new java.util.HashSet<>();
        for (String url : List.of(stack.ingestUrl(), stack.analysisUrl(), stack.dashboardUrl())) {
            String text = HTTP.send(Api.request(url + "/q/metrics").build(), HttpResponse.BodyHandlers.ofString())
                    .body();
            text.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                    .forEach(l -> exported.add(l.replaceAll("[{ ].*", "")));
        }
        Path project = Path.of(System.getProperty("palabre.project.dir", "..")).toAbsolutePath();
        String connectors = Files.readString(project.resolve(
                "ingest-service/src/main/java/io/palabre/ingest/connector/ListeningService.java"));
        JsonNode dashboard = MAPPER.readTree(project.resolve("deploy/grafana/palabre-dashboard.json").toFile());
        java.util.regex.Pattern metricName = java.util.regex.Pattern
                .compile("\\b([a-z][a-z0-9_]*_[a-z0-9_]+)\\b(?=[{\\[])");
        int queried = 0;
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                var m = metricName.matcher(target.get("expr").asText());
                while (m.find()) {
                    String name = m.group(1);
                    queried++;
                    String declared = name.replaceAll("_total$", "").replace('_', '.');
                    assertTrue(exported.contains(name) || connectors.contains("\"" + declared + "\""),
                            panel.get("title").asText() + ": " + name + " is exported by no service");
                }
            }
        }
        assertTrue(queried >= 20, "metrics found in the dashboard's queries: " + queried);
    }

    private static double metric(String serviceUrl, String name) throws Exception {
        String text = HTTP.send(Api.request(serviceUrl + "/q/metrics").build(),
                HttpResponse.BodyHandlers.ofString()).body();
        for (String line : text.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new IllegalStateException(name + " not found in " + serviceUrl + "/q/metrics");
    }
}
