package io.palabre.dashboard;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.palabre.testing.ApiOperations;
import io.palabre.testing.ApiOperations.Operation;
import io.palabre.testing.LocalRuntimeResource;
import io.palabre.testing.TestTokens;
import io.palabre.testing.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Who may call dashboard-service, and the built-in mode's users, tokens, sessions and audit log, over HTTP against the
 * real PostgreSQL and the real broker (tokens are published on the real topic and checked by the real code).
 */
@QuarkusTest
@WithTestResource(LocalRuntimeResource.class)
class AccessTest {

    /** The bootstrap admin of %test (application.properties). */
    private static final String BOOTSTRAP_TOKEN = "plb_00000000000000b1_test-bootstrap-token-of-the-dashboard-tests";
    private static final String LOGIN = "POST /api/session";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void everyOperationButLoginRefusesCallersWithoutAUsableToken() {
        List<Operation> operations = ApiOperations.ofService(TestTokens.ADMIN);
        assertTrue(operations.size() >= 25, "operations read from the OpenAPI document: " + operations);
        List<Operation> guarded = operations.stream().filter(op -> !op.toString().equals(LOGIN)).toList();
        assertEquals(operations.size() - 1, guarded.size(), "logging in is the one open operation");
        assertEquals(List.of(), ApiOperations.notRefusingUnusableCredentials(guarded));
    }

    @Test
    void anAnalystReadsButWritesNothingAndManagesNoOne() {
        List<Operation> operations = ApiOperations.ofService(TestTokens.ADMIN);
        Set<String> forbidden = ApiOperations.forbiddenTo(operations, TestTokens.ANALYST).stream()
                .map(Operation::toString).collect(Collectors.toSet());
        for (Operation op : operations) {
            boolean ownSession = op.template().equals("/api/session");
            boolean management = op.template().startsWith("/api/users") || op.template().startsWith("/api/tokens")
                    || op.template().startsWith("/api/audit");
            boolean shouldBeForbidden = !ownSession && (op.writes() || management);
            assertEquals(shouldBeForbidden, forbidden.contains(op.toString()), op.toString());
        }
        assertTrue(forbidden.contains("POST /api/tokens") && forbidden.contains("GET /api/audit"), forbidden::toString);
    }

    @Test
    void theBootstrapAdminAndItsTokenExist() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().auth().oauth2(BOOTSTRAP_TOKEN)
                .get("/api/session").then().statusCode(200).body("username", equalTo("admin"))
                .body("role", equalTo("admin")).body("via", startsWith("token ")));
        given().get("/api/users").then().statusCode(200).body("username", hasItem("admin"));
        var records = TopicRecords.readUntil(bootstrap, "access-tokens",
                rs -> rs.stream().anyMatch(r -> r.key().equals("00000000000000b1")), Duration.ofSeconds(20));
        String published = records.stream().filter(r -> r.key().equals("00000000000000b1")).reduce((a, b) -> b)
                .orElseThrow().value();
        assertTrue(published.contains("\"secretHash\":\"$2"), published);
        assertFalse(published.contains("test-bootstrap-token"), "the topic carries the hash, never the secret");
    }

    @Test
    void aUserLogsInWorksUnderCsrfProtectionAndLogsOut() {
        String name = "ana-" + UUID.randomUUID().toString().substring(0, 6);
        String password = "a long enough password";
        given().contentType(ContentType.JSON).body("""
                {"username":"%s","role":"operator","password":"%s"}""".formatted(name, password))
                .post("/api/users").then().statusCode(201).body("password", nullValue());

        given().auth().none().contentType(ContentType.JSON).body("""
                {"username":"%s","password":"wrong password!"}""".formatted(name)).post("/api/session")
                .then().statusCode(401).contentType("application/problem+json");
        Response login = given().auth().none().contentType(ContentType.JSON).body("""
                {"username":"%s","password":"%s"}""".formatted(name, password)).post("/api/session");
        login.then().statusCode(200).body("role", equalTo("operator")).body("csrfToken", notNullValue());
        String setCookie = login.header("Set-Cookie");
        assertTrue(setCookie.contains("palabre_session=") && setCookie.contains("HttpOnly")
                && setCookie.toLowerCase().contains("samesite=strict") && setCookie.contains("Path=/"), setCookie);
        assertFalse(setCookie.contains("Secure"), "plain HTTP: no Secure flag, or the browser would drop it");
        String session = login.cookie("palabre_session");
        String csrf = login.path("csrfToken");

        given().auth().none().cookie("palabre_session", session).get("/api/conversations?limit=1").then()
                .statusCode(200);
        given().auth().none().cookie("palabre_session", session).get("/api/session").then().log().ifValidationFails().statusCode(200)
                .body("username", equalTo(name)).body("via", equalTo("session")).body("csrfToken", equalTo(csrf));
        // A page without credentials goes to the login page; with the session it is served.
        given().auth().none().redirects().follow(false).accept("text/html").get("/").then().statusCode(302)
                .header("Location", startsWith("/login.html?next="));
        given().auth().none().cookie("palabre_session", session).accept("text/html").get("/").then().statusCode(200);
        given().auth().none().get("/login.html").then().statusCode(200);

        // A write with the cookie but without the page's CSRF token is refused, with it accepted.
        given().auth().none().cookie("palabre_session", session).delete("/api/session").then().statusCode(403)
                .body("detail", containsString("X-CSRF-Token"));
        given().auth().none().cookie("palabre_session", session).header("X-CSRF-Token", "not-it")
                .delete("/api/session").then().statusCode(403);
        given().auth().none().cookie("palabre_session", session).header("X-CSRF-Token", csrf)
                .delete("/api/session").then().statusCode(204).header("Set-Cookie", containsString("Max-Age=0"));
        given().auth().none().cookie("palabre_session", session).get("/api/conversations?limit=1").then()
                .statusCode(401);
    }

    @Test
    void tokensWorkEverywhereUntilRevokedAndRolesCapThem() {
        String name = "nb-" + UUID.randomUUID().toString().substring(0, 6);
        given().contentType(ContentType.JSON).body("""
                {"username":"%s","role":"analyst"}""".formatted(name)).post("/api/users").then().statusCode(201)
                .body("password", notNullValue());
        given().contentType(ContentType.JSON).body("""
                {"user":"%s","name":"notebook","role":"operator"}""".formatted(name)).post("/api/tokens")
                .then().statusCode(403).body("detail", containsString("at most the role analyst"));
        Response made = given().contentType(ContentType.JSON).body("""
                {"user":"%s","name":"notebook","expiresInDays":7}""".formatted(name)).post("/api/tokens");
        made.then().statusCode(201).body("token.role", equalTo("analyst")).body("token.propagated", equalTo(true))
                .body("secret", startsWith("plb_"));
        String token = made.path("secret");
        String id = made.path("token.id");

        given().auth().oauth2(token).get("/api/mentions?limit=1").then().statusCode(200);
        given().get("/api/tokens?user=" + name).then().statusCode(200).body("id", hasItem(id))
                .body(not(containsString(token.substring(21))));

        given().delete("/api/tokens/" + id).then().statusCode(200).body("revokedAt", notNullValue())
                .body("propagated", equalTo(true));
        given().auth().oauth2(token).get("/api/mentions?limit=1").then().statusCode(401)
                .body("detail", containsString("revoked"));
        given().delete("/api/tokens/0123456789abcdef").then().statusCode(404);
    }

    private static org.hamcrest.Matcher<String> not(org.hamcrest.Matcher<String> m) {
        return org.hamcrest.Matchers.not(m);
    }

    @Test
    void failedLoginsAreThrottled() {
        String name = "victim-" + UUID.randomUUID().toString().substring(0, 6);
        given().contentType(ContentType.JSON).body("""
                {"username":"%s","role":"analyst","password":"the right password"}""".formatted(name))
                .post("/api/users").then().statusCode(201);
        for (int i = 0; i < 5; i++) {
            given().auth().none().contentType(ContentType.JSON).body("""
                    {"username":"%s","password":"guess number %d"}""".formatted(name, i)).post("/api/session")
                    .then().statusCode(401);
        }
        given().auth().none().contentType(ContentType.JSON).body("""
                {"username":"%s","password":"the right password"}""".formatted(name)).post("/api/session")
                .then().statusCode(429).header("Retry-After", notNullValue())
                .body("detail", containsString("Too many failed logins"));
    }

    @Test
    void everyWriteIsInTheAuditLogForAdminsOnly() {
        String name = "audited-" + UUID.randomUUID().toString().substring(0, 6);
        given().contentType(ContentType.JSON).body("""
                {"username":"%s","role":"analyst"}""".formatted(name)).post("/api/users").then().statusCode(201);
        given().contentType(ContentType.JSON).body("""
                {"role":"operator"}""").patch("/api/users/" + name).then().statusCode(200)
                .body("role", equalTo("operator"));
        String id = given().contentType(ContentType.JSON).body("""
                {"user":"%s","name":"for the audit"}""".formatted(name)).post("/api/tokens").then().statusCode(201)
                .extract().path("token.id");
        given().delete("/api/tokens/" + id).then().statusCode(200);
        given().delete("/api/users/" + name).then().statusCode(204);

        given().get("/api/audit?target=" + name).then().statusCode(200)
                .body("items.action", equalTo(List.of("user.delete", "user.update", "user.create")))
                .body("items[0].actor", equalTo("test-admin"))
                .body("items[0].via", equalTo("token 00000000000000a1"));
        given().get("/api/audit?action=token&target=" + id).then().statusCode(200)
                .body("items.action", equalTo(List.of("token.revoke", "token.create")))
                .body("items[1].detail.user", equalTo(name));
        String next = given().get("/api/audit?limit=1").then().statusCode(200).body("next", notNullValue())
                .extract().path("next");
        given().get("/api/audit?limit=1&cursor=" + next).then().statusCode(200).body("items.size()", equalTo(1));
        given().get("/api/audit?cursor=nonsense").then().statusCode(400);
        given().auth().oauth2(TestTokens.ANALYST).get("/api/audit").then().statusCode(403);
        given().auth().oauth2(TestTokens.OPERATOR).get("/api/audit").then().statusCode(403);
    }

    @Test
    void theOtherServicesEventsJoinTheLogOnceAndUnreadableOnesAreSetAside() throws Exception {
        String example = io.palabre.testing.Contracts.read(io.palabre.testing.Contracts.examples("audit-event", true)
                .get(0)).trim();
        String id = UUID.randomUUID().toString();
        String event = example.replace("0b4d2c6e-8f1a-4c7e-9d3b-5a6f7e8d9c0b", id);
        String broken = "{\"id\":\"" + UUID.randomUUID() + "\",\"action\":";
        TopicRecords.send(bootstrap, "audit", List.of(new String[] { id, event }, new String[] { id, event },
                new String[] { "broken", broken }));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/audit?service=ingest-service"
                + "&target=6c1f0e2d-3b4a-4c5d-8e9f-0a1b2c3d4e5f").then().statusCode(200)
                .body("items.findAll { it.id == '" + id + "' }.size()", equalTo(1))
                .body("items.find { it.id == '" + id + "' }.detail.name", equalTo("Acme Rail")));
        var dead = TopicRecords.readUntil(bootstrap, "dashboard-dlq",
                rs -> rs.stream().anyMatch(r -> r.value().contains(broken.substring(8, 30))), Duration.ofSeconds(20));
        assertTrue(dead.stream().anyMatch(r -> r.value().contains("unreadable audit event")), "set aside with why");
    }

    @Test
    void badRequestsAboutAccessAreClearProblems() {
        given().contentType(ContentType.JSON).body("""
                {"username":"Bad Name!","role":"analyst"}""").post("/api/users").then().statusCode(400)
                .body("detail", containsString("username"));
        given().contentType(ContentType.JSON).body("""
                {"username":"shortpw","role":"analyst","password":"short"}""").post("/api/users").then()
                .statusCode(400).body("detail", containsString("at least 12"));
        given().contentType(ContentType.JSON).body("""
                {"username":"norole","role":"root"}""").post("/api/users").then().statusCode(400)
                .body("detail", containsString("role"));
        given().contentType(ContentType.JSON).body("""
                {"name":"x","expiresInDays":10000}""").post("/api/tokens").then().statusCode(400);
        given().contentType(ContentType.TEXT).body("username=a&password=b").post("/api/session").then()
                .statusCode(415);
        given().delete("/api/users/admin").then().statusCode(409);
    }
}
