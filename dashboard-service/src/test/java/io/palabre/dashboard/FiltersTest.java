package io.palabre.dashboard;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.palabre.dashboard.service.MentionSearch;
import io.palabre.testing.LocalRuntimeResource;
import io.palabre.testing.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Mention filters and full-text search, and conversation filters and sorts, on the real read model.
 */
@QuarkusTest
@WithTestResource(LocalRuntimeResource.class)
class FiltersTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2032-02-01T08:00:00Z");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @jakarta.inject.Inject
    io.agroal.api.AgroalDataSource dataSource;

    @Test
    void mentionsFilterByAuthorHashtagLanguageQueryAndWords() {
        String p = UUID.randomUUID().toString().substring(0, 8);
        List<String[]> records = new ArrayList<>();
        records.add(mention("x:" + p + "1", p + "ann", "Le train est encore en retard #greve", "fr", "greve", "acme"));
        records.add(mention("x:" + p + "2", p + "bob", "Still waiting for my refund", "en", "refund", "acme"));
        records.add(mention("x:" + p + "3", p + "ann", "Refund received, thanks", "en", null, null));
        TopicRecords.send(bootstrap, "threaded-mentions", records);
        await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/api/mentions?author=x:" + p + "ann")
                .jsonPath().getList("items").size() == 2);

        given().queryParam("hashtag", "#Greve").queryParam("author", "x:" + p + "ann").get("/api/mentions").then()
                .statusCode(200)
                .body("items.id", equalTo(List.of("x:" + p + "1")));
        given().get("/api/mentions?lang=en&author=x:" + p + "bob").then().body("items.id",
                equalTo(List.of("x:" + p + "2")));
        given().get("/api/mentions?query=acme&author=x:" + p + "ann").then().body("items.id",
                equalTo(List.of("x:" + p + "1")));
        given().queryParam("q", "refund -received").queryParam("from", T0.minusSeconds(1).toString())
                .queryParam("to", T0.plusSeconds(3600).toString()).get("/api/mentions").then().statusCode(200)
                .body("items.id", equalTo(List.of("x:" + p + "2")));
        given().queryParam("q", "refund").queryParam("author", "x:" + p + "ann").get("/api/mentions").then()
                .body("items.id", equalTo(List.of("x:" + p + "3")));
        given().queryParam("q", "x".repeat(501)).get("/api/mentions").then().statusCode(400)
                .contentType("application/problem+json");
        given().get("/api/mentions/{id}", "x:" + p + "1").then().body("hashtags", equalTo(List.of("greve")))
                .body("query", equalTo("acme"));

        // Volume over time, tops and exports share the same filters.
        String window = "&from=" + T0.minusSeconds(3600) + "&to=" + T0.plusSeconds(3600);
        given().get("/api/timeseries?interval=hour&by=lang&author=x:" + p + "ann" + window).then().statusCode(200)
                .body("series.key", equalTo(List.of("en", "fr"))).body("series[0].points[0].count", equalTo(1))
                .body("series[0].points[0].at", equalTo(T0.truncatedTo(java.time.temporal.ChronoUnit.HOURS)
                        .toString()));
        given().get("/api/timeseries?interval=minute").then().statusCode(400);
        given().get("/api/timeseries?interval=hour&from=2030-01-01T00:00:00Z&to=2030-03-01T00:00:00Z").then()
                .statusCode(400).contentType("application/problem+json");
        given().get("/api/top/hashtags?query=acme" + window).then().statusCode(200)
                .body("value", org.hamcrest.Matchers.hasItems("greve", "refund"));
        given().get("/api/top/emoji").then().statusCode(404);
        String ndjson = given().get("/api/export/mentions?author=x:" + p + "ann").then().statusCode(200)
                .contentType(org.hamcrest.Matchers.containsString("ndjson")).extract().asString();
        assertEquals(2, ndjson.lines().count(), ndjson);
        assertEquals("x:" + p + "3", read(ndjson.lines().findFirst().orElseThrow()).get("id").asText());
        String csv = given().get("/api/export/mentions?format=csv&author=x:" + p + "ann").then().statusCode(200)
                .extract().asString();
        assertEquals(3, csv.lines().count(), csv);
        assertEquals(true, csv.contains("#greve"), csv);
        given().get("/api/export/mentions?format=xml").then().statusCode(400);
    }

    @Test
    void conversationsFilterAndSortWithCursors() {
        String p = UUID.randomUUID().toString().substring(0, 8);
        List<String[]> conversations = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            String id = "reddit:t3_" + p + i;
            String[] record = ReadModelTest.conversation(id, 100 + i, i % 3, T0, T0.plusSeconds(i));
            ObjectNode node = read(record[1]);
            node.put("organisationTookPart", i % 2 == 0);
            node.putArray("languages").add(i == 5 ? "fr" : "en");
            conversations.add(new String[] { id, node.toString() });
        }
        TopicRecords.send(bootstrap, "conversations", conversations);
        await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/api/conversations?sort=size&minSize=101"
                + "&limit=200").jsonPath().getList("items.id").stream().filter(id -> id.toString().contains(p))
                .count() == 5);

        List<String> bySize = new ArrayList<>();
        String cursor = null;
        do {
            var page = given().queryParam("sort", "size").queryParam("minSize", 101).queryParam("limit", 2)
                    .queryParam("from", T0.toString()).queryParam("to", T0.plusSeconds(10).toString())
                    .queryParam("platform", "reddit").queryParam("cursor", cursor == null ? "" : cursor)
                    .get("/api/conversations").then().statusCode(200).extract().jsonPath();
            page.getList("items.id", String.class).stream().filter(id -> id.contains(p)).forEach(bySize::add);
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        assertEquals(List.of(5, 4, 3, 2, 1).stream().map(i -> "reddit:t3_" + p + i).toList(), bySize);

        given().get("/api/conversations?organisation=true&minSize=101&sort=depth&limit=200").then().statusCode(200)
                .body("items.findAll { it.id.contains('" + p + "') }.id",
                        equalTo(List.of("reddit:t3_" + p + "2", "reddit:t3_" + p + "4")));
        given().get("/api/conversations?lang=fr&minSize=105").then().body("items.findAll { it.id.contains('" + p
                + "') }.id", equalTo(List.of("reddit:t3_" + p + "5")));
        given().get("/api/conversations?sort=loudness").then().statusCode(400);
        given().get("/api/conversations?organisation=maybe").then().statusCode(400);
        given().get("/api/conversations?minSize=-1").then().statusCode(400);
        String recentCursor = given().get("/api/conversations?limit=1").jsonPath().getString("nextCursor");
        given().queryParam("sort", "size").queryParam("cursor", recentCursor).get("/api/conversations").then()
                .statusCode(400).contentType("application/problem+json");
    }

    @Test
    void newMentionsOfAQueryArriveLiveAsServerSentEvents() {
        String p = UUID.randomUUID().toString().substring(0, 8);
        java.util.List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                "http://localhost:" + io.restassured.RestAssured.port + "/api/stream?query=live-" + p))
                .header("Authorization", "Bearer " + io.palabre.testing.TestTokens.ANALYST).GET().build();
        Thread reader = new Thread(() -> {
            try {
                java.net.http.HttpClient.newHttpClient().send(request,
                        java.net.http.HttpResponse.BodyHandlers.ofLines()).body().forEach(lines::add);
            } catch (java.io.IOException | java.io.UncheckedIOException | InterruptedException e) {
                // the stream ends with the test
            }
        }, "sse-reader");
        reader.setDaemon(true);
        reader.start();
        // The subscription begins once the request is in; send until an event shows.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            TopicRecords.send(bootstrap, "threaded-mentions", List.of(
                    mention("x:" + p + "other-" + System.nanoTime(), p + "eve", "not ours", "en", null, "else"),
                    mention("x:" + p + "live-" + System.nanoTime(), p + "eve", "ours", "en", null, "live-" + p)));
            return lines.stream().anyMatch(l -> l.startsWith("data:"));
        });
        List<String> events = lines.stream().filter(l -> l.startsWith("data:")).toList();
        assertTrue(events.stream().allMatch(l -> l.contains("\"query\":\"live-" + p + "\"")), events.toString());
        assertTrue(events.stream().noneMatch(l -> l.contains("other-")), events.toString());
        reader.interrupt();
    }

    @Test
    void aSearchIsNewestFirstWhetherItsWordsAreRareOrCommon() throws Exception {
        // Through the API (here every word is rare enough to be sorted), and through each of MentionSearch's plans:
        // the same pages, newest first, the cursor going on from the last.
        String p = UUID.randomUUID().toString().substring(0, 8);
        String common = "common" + p;
        String rare = "rare" + p;
        int many = 1050;
        List<String[]> records = new ArrayList<>();
        for (int i = 0; i < many; i++) {
            String text = common + (i % 100 == 0 ? " " + rare : "") + " number " + i;
            records.add(mention("x:" + p + "-" + i, p + "ann", text, "en", null, null, T0.plusSeconds(i)));
        }
        TopicRecords.send(bootstrap, "threaded-mentions", records);
        await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/api/mentions?limit=1&author=x:" + p + "ann"
                + "&from=" + T0.plusSeconds(many - 1)).jsonPath().getList("items").size() == 1);

        for (String word : List.of(common, rare)) {
            List<String> expected = new ArrayList<>();
            for (int i = many - 1; i >= 0; i--) {
                if (word.equals(common) || i % 100 == 0) {
                    expected.add("x:" + p + "-" + i);
                }
            }
            List<String> pages = new ArrayList<>();
            String cursor = null;
            for (int page = 0; page < 3; page++) {
                io.restassured.path.json.JsonPath got = given().queryParam("q", word).queryParam("limit", 4)
                        .queryParam("cursor", cursor).get("/api/mentions").then().statusCode(200).extract().jsonPath();
                pages.addAll(got.getList("items.id"));
                cursor = got.getString("nextCursor");
            }
            assertEquals(expected.subList(0, Math.min(12, expected.size())), pages, word);
            // Rare is at most 100 matches here: the common word (1,050) is walked, the rare one (11) sorted; a walk
            // that runs out of time (1 ms) ends in the sort, and so does no walk (0); with every word rare, both are
            // sorted.
            for (int rareAtMost : new int[] { 100, 5_000 }) {
                for (long walk : new long[] { 60_000, 1, 0 }) {
                    MentionSearch.Found found = search("m.search @@ websearch_to_tsquery('simple', ?)", List.of(word),
                            12, rareAtMost, walk);
                    String how = word + ", rare at most " + rareAtMost + ", walk " + walk + " ms";
                    assertEquals(expected.subList(0, Math.min(12, expected.size())), found.ids(), how);
                    if (word.equals(rare) || rareAtMost == 5_000 || walk == 0) {
                        assertEquals(MentionSearch.Plan.FROM_THE_INDEX, found.plan(), how);
                    } else if (walk == 60_000) {
                        assertEquals(MentionSearch.Plan.NEWEST_FIRST, found.plan(), how);
                    }
                }
            }
            // A glance that ends in time answers, newest first, with the same page.
            MentionSearch.Found glanced;
            try (java.sql.Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                glanced = MentionSearch.newest(c, "m.search @@ websearch_to_tsquery('simple', ?)", List.of(word), 12,
                        60_000, 100, 0);
                c.rollback();
                c.setAutoCommit(true);
            }
            assertEquals(expected.subList(0, Math.min(12, expected.size())), glanced.ids(), word + ", glanced");
            assertEquals(MentionSearch.Plan.NEWEST_FIRST, glanced.plan(), word + ", glanced");
        }
        // With other filters and a cursor, from the index: only this author's, older than the cursor.
        MentionSearch.Found older = search("m.search @@ websearch_to_tsquery('simple', ?) and m.author_id = ? and "
                + "m.created_at < ?", List.of(rare, "x:" + p + "ann", java.sql.Timestamp.from(T0.plusSeconds(500))),
                3, 100, 60_000);
        assertEquals(List.of("x:" + p + "-400", "x:" + p + "-300", "x:" + p + "-200"), older.ids());
        given().queryParam("q", "nobody" + p + "wrote").get("/api/mentions").then().statusCode(200)
                .body("items", equalTo(List.of()));
    }

    /** MentionSearch on a connection of the read model, in a transaction rolled back after. */
    private MentionSearch.Found search(String where, List<Object> values, int limit, int rareAtMost,
            long walkMillis) throws java.sql.SQLException {
        try (java.sql.Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                return MentionSearch.newest(c, where, values, limit, rareAtMost, walkMillis);
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        }
    }

    private static String[] mention(String id, String author, String text, String lang, String hashtag,
            String query) {
        return mention(id, author, text, lang, hashtag, query, T0);
    }

    private static String[] mention(String id, String author, String text, String lang, String hashtag,
            String query, Instant at) {
        String[] record = ReadModelTest.mention(id, id, null, at);
        ObjectNode threaded = read(record[1]);
        ObjectNode m = (ObjectNode) threaded.get("mention");
        m.put("text", text);
        ((ObjectNode) m.get("author")).put("id", "x:" + author).put("handle", author);
        threaded.put("lang", lang);
        if (hashtag != null) {
            threaded.putArray("hashtags").add(hashtag);
        }
        if (query != null) {
            ((ObjectNode) m.get("source")).put("query", query);
        }
        return new String[] { id, threaded.toString() };
    }

    private static ObjectNode read(String json) {
        try {
            return (ObjectNode) MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
