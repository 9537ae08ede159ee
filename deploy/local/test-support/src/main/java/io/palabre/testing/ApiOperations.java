package io.palabre.testing;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.RestAssured;

/**
 * Every operation a service's OpenAPI document lists, so that a test can call each one: an endpoint added later is
 * covered without anyone remembering to add it to the test. Calls read only the status and headers, so that a
 * stream ({@code text/event-stream}) answers as quickly as the rest.
 */
public final class ApiOperations {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /** Credentials that must not open anything: none, a revoked, an expired, an unknown and a malformed token. */
    public static final List<String> UNUSABLE = List.of("", TestTokens.REVOKED, TestTokens.EXPIRED,
            TestTokens.UNKNOWN, "plb_nonsense");

    /** One operation: the method, the path with its parameters filled in, and the body type it consumes. */
    public record Operation(String method, String template, String path, String contentType) {

        public boolean writes() {
            return !READS.contains(method);
        }

        /** Calls the operation with {@code token} (none when empty) and an empty JSON body where it takes one. */
        public Answer call(String token) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
                    .timeout(Duration.ofSeconds(30));
            if (!token.isEmpty()) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();
            if (contentType != null) {
                request.header("Content-Type", contentType);
                body = HttpRequest.BodyPublishers.ofString("{}", StandardCharsets.UTF_8);
            }
            try {
                HttpResponse<InputStream> response = HTTP.send(request.method(method, body).build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream ignored = response.body()) {
                    return new Answer(response.statusCode(),
                            response.headers().firstValue("Content-Type").orElse(""),
                            response.headers().firstValue("WWW-Authenticate").orElse(""));
                }
            } catch (Exception e) {
                throw new AssertionError(this + " could not be called: " + e, e);
            }
        }

        @Override
        public String toString() {
            return method + " " + template;
        }
    }

    /** What an operation answered: its status and the headers that matter here. */
    public record Answer(int status, String contentType, String challenge) {

        public boolean isProblem() {
            return contentType.startsWith("application/problem+json");
        }
    }

    private ApiOperations() {
    }

    private static String base() {
        return RestAssured.baseURI + ":" + RestAssured.port;
    }

    /**
     * Each operation that does not refuse each of {@link #UNUSABLE} with a 401 {@code application/problem+json} and a
     * bearer challenge, with what it answered: empty when all refuse.
     */
    public static List<String> notRefusingUnusableCredentials(List<Operation> operations) {
        List<String> wrong = new ArrayList<>();
        for (Operation op : operations) {
            for (String token : UNUSABLE) {
                Answer answer = op.call(token);
                if (answer.status() != 401 || !answer.isProblem() || !answer.challenge().startsWith("Bearer")) {
                    wrong.add(op + " with " + (token.isEmpty() ? "no token" : token.substring(0, 12) + "…") + ": "
                            + answer);
                }
            }
        }
        return wrong;
    }

    /** The operations that answer 403 {@code application/problem+json} to a caller with {@code token}. */
    public static List<Operation> forbiddenTo(List<Operation> operations, String token) {
        List<Operation> forbidden = new ArrayList<>();
        for (Operation op : operations) {
            Answer answer = op.call(token);
            if (answer.status() == 401) {
                throw new AssertionError(op + " refused a usable token: " + answer);
            }
            if (answer.status() == 403) {
                if (!answer.isProblem()) {
                    throw new AssertionError(op + " answered 403 without a problem: " + answer);
                }
                forbidden.add(op);
            }
        }
        return forbidden;
    }

    /** The operations of the service REST Assured points at, read from its {@code /q/openapi} as an admin. */
    public static List<Operation> ofService(String adminToken) {
        String document = RestAssured.given().auth().oauth2(adminToken).accept("application/json")
                .get("/q/openapi?format=json").then().statusCode(200).extract().asString();
        return of(document);
    }

    /** The operations of an OpenAPI document (JSON). */
    public static List<Operation> of(String document) {
        JsonNode root;
        try {
            root = MAPPER.readTree(document);
        } catch (Exception e) {
            throw new IllegalArgumentException("Not an OpenAPI document", e);
        }
        List<Operation> operations = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> paths = root.path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields();
            while (ops.hasNext()) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (!METHODS.contains(op.getKey())) {
                    continue;
                }
                Iterator<String> types = op.getValue().path("requestBody").path("content").fieldNames();
                String type = types.hasNext() ? types.next() : null;
                operations.add(new Operation(op.getKey().toUpperCase(Locale.ROOT), path.getKey(),
                        path.getKey().replaceAll("\\{[^}]+}", "x"), type));
            }
        }
        return operations;
    }
}
