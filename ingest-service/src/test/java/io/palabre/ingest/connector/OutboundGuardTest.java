package io.palabre.ingest.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.palabre.ingest.connector.PlatformHttp.PlatformException;
import io.palabre.ingest.query.QueryRequest;
import io.palabre.ingest.query.QueryService;
import io.palabre.testing.LocalRuntimeResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Server-side request forgery refused: a local HTTP server on loopback that connectors must not reach through
 * 127.0.0.1, a redirect from an allowed host to it or to the cloud metadata address, or a feed named in a listening
 * query; what is refused says why. Only {@code localhost}, by name, is allowed (as the tests' fakes are).
 */
@QuarkusTest
@WithTestResource(LocalRuntimeResource.class)
@WithTestResource(FakePlatformResource.class)
class OutboundGuardTest {

    private static final io.quarkus.security.identity.SecurityIdentity OPERATOR =
            io.palabre.support.security.Identities.of("test-operator", io.palabre.support.security.Role.OPERATOR, "test");

    @Inject
    PlatformHttp http;

    @Inject
    QueryService queries;

    @Inject
    ListeningService listening;

    private final List<String> hits = new CopyOnWriteArrayList<>();
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void loopbackMetadataAndPrivateAddressesAreRefusedBeforeAnyConnection() throws Exception {
        int port = serve(Map.of("/secret", new String[] { "200", "application/json", "{\"secret\":true}" }));
        PlatformException loopback = assertThrows(PlatformException.class,
                () -> http.get("http://127.0.0.1:" + port + "/secret", Map.of()));
        assertTrue(loopback.getMessage().contains("loopback"), loopback.getMessage());
        PlatformException metadata = assertThrows(PlatformException.class,
                () -> http.get("http://169.254.169.254/latest/meta-data/", Map.of()));
        assertTrue(metadata.getMessage().contains("link-local (cloud metadata)"), metadata.getMessage());
        PlatformException mapped = assertThrows(PlatformException.class,
                () -> http.get("http://[::ffff:10.0.0.1]/", Map.of()));
        assertTrue(mapped.getMessage().contains("private"), mapped.getMessage());
        assertTrue(hits.isEmpty(), "nothing reached the server: " + hits);
        // The same server through the allowed name answers.
        assertTrue(http.get("http://localhost:" + port + "/secret", Map.of()).body().contains("secret"));
    }

    @Test
    void aRedirectToAnInternalAddressIsRefused() throws Exception {
        int port = serve(Map.of(
                "/to-loopback", new String[] { "302", "http://127.0.0.1:PORT/secret", "" },
                "/to-metadata", new String[] { "301", "http://169.254.169.254/latest/meta-data/", "" },
                "/loop", new String[] { "302", "http://localhost:PORT/loop", "" },
                "/secret", new String[] { "200", "application/json", "{\"secret\":true}" }));
        PlatformException toLoopback = assertThrows(PlatformException.class,
                () -> http.get("http://localhost:" + port + "/to-loopback", Map.of()));
        assertTrue(toLoopback.getMessage().contains("127.0.0.1") && toLoopback.getMessage().contains("loopback"),
                toLoopback.getMessage());
        PlatformException toMetadata = assertThrows(PlatformException.class,
                () -> http.get("http://localhost:" + port + "/to-metadata", Map.of()));
        assertTrue(toMetadata.getMessage().contains("169.254.169.254"), toMetadata.getMessage());
        PlatformException loop = assertThrows(PlatformException.class,
                () -> http.get("http://localhost:" + port + "/loop", Map.of()));
        assertTrue(loop.getMessage().contains("redirects"), loop.getMessage());
        assertTrue(hits.stream().noneMatch(h -> h.equals("/secret")), "the secret was never fetched: " + hits);
    }

    @Test
    void anAnswerThatIsNotDataIsRefused() throws Exception {
        int port = serve(Map.of("/page", new String[] { "200", "text/html", "<html>login</html>" }));
        PlatformException page = assertThrows(PlatformException.class,
                () -> http.get("http://localhost:" + port + "/page", Map.of()));
        assertTrue(page.getMessage().contains("text/html, not data"), page.getMessage());
    }

    @Test
    void aFeedNamedInAQueryThatPointsInsideIsRefusedAndTheStatusSaysWhy() throws Exception {
        int port = serve(Map.of("/feed", new String[] { "200", "application/rss+xml", "<rss/>" }));
        String name = "inside-" + UUID.randomUUID().toString().substring(0, 6);
        String id = queries.create(new QueryRequest(name, "", List.of(), List.of("rss:http://127.0.0.1:" + port
                + "/feed"), List.of("rss"), List.of(), true), OPERATOR).id();
        try {
            assertEquals(0, listening.runOnce("rss"));
            ListeningService.ScopeStatus status = listening.status("rss").stream()
                    .filter(s -> name.equals(s.query)).findFirst().orElseThrow();
            assertTrue(status.lastError.contains("refused") && status.lastError.contains("loopback"),
                    status.lastError);
            assertTrue(hits.isEmpty(), "the feed was never fetched: " + hits);
        } finally {
            queries.delete(id, OPERATOR);
        }
    }

    @Test
    void addressesAreClassified() throws Exception {
        assertEquals("loopback", OutboundGuard.internal(InetAddress.getByName("127.0.0.1")));
        assertEquals("loopback", OutboundGuard.internal(InetAddress.getByName("::1")));
        assertEquals("link-local (cloud metadata)", OutboundGuard.internal(InetAddress.getByName("169.254.169.254")));
        assertEquals("private", OutboundGuard.internal(InetAddress.getByName("192.168.1.10")));
        assertEquals("private", OutboundGuard.internal(InetAddress.getByName("172.16.0.1")));
        assertEquals("unique-local", OutboundGuard.internal(InetAddress.getByName("fd00:ec2::254")));
        assertEquals("reserved or shared", OutboundGuard.internal(InetAddress.getByName("100.64.0.1")));
        assertEquals("unspecified", OutboundGuard.internal(InetAddress.getByName("0.0.0.0")));
        assertNull(OutboundGuard.internal(InetAddress.getByName("93.184.216.34")));
        assertNull(OutboundGuard.internal(InetAddress.getByName("2606:2800:220:1:248:1893:25c8:1946")));
    }

    /** Serves each path: {status, Content-Type or Location, body}; PORT in a Location is this server's port. */
    private int serve(Map<String, String[]> answers) throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        int port = server.getAddress().getPort();
        server.createContext("/", exchange -> {
            hits.add(exchange.getRequestURI().getPath());
            String[] answer = answers.get(exchange.getRequestURI().getPath());
            int status = answer == null ? 404 : Integer.parseInt(answer[0]);
            if (status >= 300 && status < 400) {
                exchange.getResponseHeaders().add("Location", answer[1].replace("PORT", Integer.toString(port)));
            } else if (answer != null) {
                exchange.getResponseHeaders().add("Content-Type", answer[1]);
            }
            byte[] body = answer == null ? new byte[0] : answer[2].getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return port;
    }
}
