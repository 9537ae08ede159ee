package io.palabre.ingest.connector.bluesky;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;

/**
 * A Jetstream server on loopback (a Vert.x WebSocket server): it records each connection's query string and
 * sends what the test tells it to, nothing else, so that silence is a stall.
 */
public class FakeJetstreamResource implements QuarkusTestResourceLifecycleManager {

    static final List<String> CONNECTIONS = new CopyOnWriteArrayList<>();
    static final List<ServerWebSocket> SOCKETS = new CopyOnWriteArrayList<>();
    static final List<String> APPVIEW_REQUESTS = new CopyOnWriteArrayList<>();
    /** What the AppView answers for getPostThread: set by the test. */
    static volatile String thread = "{}";
    private Vertx vertx;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        // Upgrades are taken by hand: once a Quarkus application has run in this JVM, Vert.x may no longer route
        // them to a webSocketHandler.
        HttpServer server = vertx.createHttpServer().requestHandler(request -> {
            if ("websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
                String query = request.query();
                request.toWebSocket().onSuccess(ws -> {
                    CONNECTIONS.add(String.valueOf(query));
                    SOCKETS.add(ws);
                });
            } else if (request.path().endsWith("app.bsky.feed.getPostThread")) {
                APPVIEW_REQUESTS.add(request.uri());
                request.response().putHeader("Content-Type", "application/json").end(thread);
            } else {
                request.response().setStatusCode(400).end("WebSocket only");
            }
        });
        try {
            server.listen(0, "localhost").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return Map.of(
                "palabre.connectors.bluesky-jetstream.enabled", "true",
                "palabre.connectors.bluesky-jetstream.url", "ws://localhost:" + server.actualPort() + "/subscribe",
                "palabre.connectors.bluesky-jetstream.stall-timeout", "3s",
                "palabre.connectors.bluesky-appview-url", "http://localhost:" + server.actualPort(),
                "palabre.connectors.bluesky-jetstream.cursor-interval", "500ms",
                "palabre.connectors.allowed-hosts", "localhost");
    }

    /** Sends text frames on the newest connection. */
    static void send(List<String> messages) {
        ServerWebSocket ws = SOCKETS.get(SOCKETS.size() - 1);
        messages.forEach(ws::writeTextMessage);
    }

    @Override
    public void stop() {
        vertx.close();
    }
}
