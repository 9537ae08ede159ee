package io.palabre.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.palabre.launcher.AdminCredentials;
import io.palabre.launcher.PalabreStack;

/**
 * What the system tests ask the services' REST APIs, the same way in every test: as the first admin every test stack
 * is started with ({@link #ADMIN}).
 */
final class Api {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    /**
     * The first admin of the stacks the system tests start; against a running {@code ./palabre up}, the one of its
     * credentials file ({@code -Dpalabre.admin.credentials=.palabre/admin-credentials}).
     */
    static final AdminCredentials ADMIN = java.util.Optional.ofNullable(System.getProperty("palabre.admin.credentials"))
            .flatMap(file -> AdminCredentials.read(Path.of(file))).orElseGet(AdminCredentials::draw);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Api() {
    }

    /** A request to a URL with the admin's token. */
    static HttpRequest.Builder request(String url) {
        return ADMIN.authorize(HttpRequest.newBuilder(URI.create(url)));
    }

    /**
     * Settings of a stack on free ports, listening on 127.0.0.1, with {@link #ADMIN} as its first admin; on Kafka and
     * PostgreSQL in containers with {@code -Pcontainers} ({@link ContainerInfrastructure}).
     */
    static PalabreStack.Settings settings(Path projectDir, Path dataDir, Path logDir) {
        return ContainerInfrastructure.apply(new PalabreStack.Settings(projectDir, dataDir, logDir, 0, 0, null, 0, 0, 0,
                "127.0.0.1", ADMIN));
    }

    /** GETs a URL that must answer 200, as JSON. */
    static JsonNode get(String url) throws Exception {
        HttpResponse<String> response = HTTP.send(request(url).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), url + " -> " + response.body());
        return MAPPER.readTree(response.body());
    }

    /** The status a GET of the URL answers. */
    static int status(String url) throws Exception {
        return HTTP.send(request(url).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** A global id as one URL path segment or query value. */
    static String encode(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8);
    }
}
