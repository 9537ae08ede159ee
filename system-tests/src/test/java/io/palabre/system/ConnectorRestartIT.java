package io.palabre.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.palabre.launcher.LocalRuntimeProcess;
import io.palabre.launcher.ServiceProcess;
import io.palabre.testing.TestTokens;

/**
 * The packaged ingest-service polling a local fake of Algolia's Hacker News search (replaying a recorded answer)
 * is killed with SIGKILL mid-listening, restarted, and must resume from the cursor it had committed: real broker,
 * real PostgreSQL, a real process kill.
 */
class ConnectorRestartIT {

    @Test
    void killedIngestServiceResumesFromItsCommittedCursor() throws Exception {
        Path projectDir = Path.of(System.getProperty("palabre.project.dir", "..")).toAbsolutePath().normalize();
        Path logs = Path.of("target", "restart-logs").toAbsolutePath();
        List<String> requests = new CopyOnWriteArrayList<>();
        byte[] answer;
        try (InputStream in = getClass().getResourceAsStream("/fixtures/hn-algolia-search-by-date-comment.json")) {
            answer = in.readAllBytes();
        }
        HttpServer algolia = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        algolia.createContext("/", exchange -> {
            requests.add(exchange.getRequestURI().toString());
            boolean search = exchange.getRequestURI().getPath().contains("search_by_date");
            byte[] body = search ? answer : "{\"error\":\"not here\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(search ? 200 : 404, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        algolia.start();
        try (LocalRuntimeProcess runtime = LocalRuntimeProcess.start(new LocalRuntimeProcess.Settings(
                logs.resolve("runtime.log"), Files.createTempDirectory("palabre-restart-"), 0, 0, null,
                List.of("palabre_ingest")))) {
            Map<String, String> config = Map.ofEntries(
                    Map.entry("kafka.bootstrap.servers", runtime.bootstrapServers()),
                    Map.entry("quarkus.datasource.jdbc.url", runtime.jdbcUrl("palabre_ingest")),
                    Map.entry("quarkus.datasource.username", runtime.postgresUser()),
                    Map.entry("quarkus.datasource.password", runtime.postgresPassword()),
                    Map.entry("palabre.connectors.enabled", "true"),
                    Map.entry("palabre.connectors.interval", "1s"),
                    Map.entry("palabre.connectors.first-lookback", "20000d"),
                    Map.entry("palabre.connectors.hackernews.enabled", "true"),
                    Map.entry("palabre.connectors.hackernews.max-hits", "100"),
                    Map.entry("palabre.connectors.hackernews.base-url",
                            "http://localhost:" + algolia.getAddress().getPort()),
                    Map.entry("palabre.connectors.allowed-hosts", "localhost"),
                    // Credentials of connectors left off: SecretsStayOutOfLogsIT searches this service's log for them.
                    Map.entry("palabre.connectors.x.bearer-token", "fake-bearer-token-7d1c90"),
                    Map.entry("palabre.connectors.reddit.client-secret", "fake-client-secret-7d1c90"));
            int port = freePort();
            TestTokens.publish(runtime.bootstrapServers());
            ServiceProcess ingest = ServiceProcess.start(projectDir, "ingest-service", port, config, logs);
            try {
                ingest.awaitReady(Duration.ofSeconds(120));
                HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(ingest.url() + "/api/queries")).header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + TestTokens.OPERATOR)
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"name\":\"starbucks\",\"terms\":\"starbucks\",\"platforms\":[\"hackernews\"]}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(201, created.statusCode(), created.body());
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> "1403235154".equals(cursor(runtime.jdbcUrl("palabre_ingest"), runtime)));
            } finally {
                ingest.kill();
            }
            int before = requests.size();
            ServiceProcess restarted = ServiceProcess.start(projectDir, "ingest-service", port, config, logs);
            try {
                restarted.awaitReady(Duration.ofSeconds(120));
                await().atMost(Duration.ofSeconds(60)).until(() -> requests.size() > before);
                String resumed = requests.get(before);
                assertTrue(resumed.contains("created_at_i%3E1403235154"), resumed);
            } finally {
                restarted.close();
            }
        } finally {
            algolia.stop(0);
        }
    }

    private static String cursor(String jdbcUrl, LocalRuntimeProcess runtime) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, runtime.postgresUser(), runtime.postgresPassword());
                PreparedStatement ps = c.prepareStatement(
                        "select cursor from connector_cursor where connector = 'hackernews-algolia'")) {
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (java.sql.SQLException notYet) {
            return null;
        }
    }

    private static int freePort() throws java.io.IOException {
        return io.palabre.launcher.FreePorts.next();
    }
}
