package io.palabre.ingest.connector;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.palabre.ingest.connector.PlatformHttp.PlatformException;
import io.palabre.testing.LocalRuntimeResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A local HTTP server on loopback answering more than the caps allow: a platform answer over the body cap is refused
 * with the reason, and a stream line over the line cap is set aside, cut, while the lines after it still arrive.
 */
@QuarkusTest
@WithTestResource(LocalRuntimeResource.class)
@WithTestResource(FakePlatformResource.class)
class PlatformLimitsTest {

    @Inject
    PlatformHttp http;

    @Inject
    ConnectorsConfig config;

    @Inject
    OutboundGuard guard;

    @Test
    void anAnswerOverTheBodyCapIsRefusedWithoutBeingHeldWhole() throws Exception {
        int cap = config.limits().maxBodyBytes();
        HttpServer server = serve("/huge", new byte[cap + 1024]);
        try {
            String base = "http://localhost:" + server.getAddress().getPort();
            PlatformException refused = assertThrows(PlatformException.class, () -> http.get(base + "/huge", Map.of()));
            assertTrue(refused.getMessage().contains("more than " + cap + " bytes"), refused.getMessage());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aStreamLineOverTheLineCapIsSetAsideAndTheStreamGoesOn() throws Exception {
        int cap = config.limits().maxLineChars();
        String body = "first\n" + "x".repeat(cap + 10) + "\nafter\n";
        HttpServer server = serve("/stream", body.getBytes(StandardCharsets.UTF_8));
        List<String> lines = new CopyOnWriteArrayList<>();
        List<String> oversized = new CopyOnWriteArrayList<>();
        LineStream stream = new LineStream("limits", () -> URI.create("http://localhost:"
                + server.getAddress().getPort() + "/stream"), Map::of, lines::add, Duration.ofSeconds(30),
                new ListeningService.ScopeStatus("limits", "test"), cap, oversized::add, guard);
        try {
            stream.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> lines.contains("after"));
            assertEquals("first", lines.get(0));
            assertEquals(1, oversized.size());
            assertEquals(cap, oversized.get(0).length(), "the beginning is kept, cut at the cap");
            assertTrue(lines.stream().allMatch(l -> l.length() <= cap));
        } finally {
            stream.close();
            server.stop(0);
        }
    }

    private static HttpServer serve(String path, byte[] body) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(path, exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            } catch (java.io.IOException closedEarly) {
                // The client stops reading at its cap.
            }
        });
        server.start();
        return server;
    }
}
