package io.palabre.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP receiver of Palabre's alert webhooks on loopback. It verifies each request's signature itself
 * (HMAC-SHA256 of the timestamp, a dot and the body, under the secret it was given), keeps what it received, and can
 * be told to answer the next requests with an error.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One request as received. */
    public record Received(String path, String deliveryId, String timestamp, String signature, String body,
            boolean signatureValid) {
    }

    private final HttpServer server;
    private final List<Received> received = new ArrayList<>();
    private final AtomicInteger failNext = new AtomicInteger();
    private final java.util.Map<String, String> secrets = new java.util.concurrent.ConcurrentHashMap<>();

    public WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String timestamp = exchange.getRequestHeaders().getFirst("X-Palabre-Timestamp");
            String signature = exchange.getRequestHeaders().getFirst("X-Palabre-Signature");
            String secret = secrets.get(exchange.getRequestURI().getPath());
            boolean valid = secret != null && timestamp != null && signature != null
                    && MessageDigest.isEqual(expected(secret, timestamp, body).getBytes(StandardCharsets.UTF_8),
                            signature.getBytes(StandardCharsets.UTF_8));
            int status = failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 503 : 204;
            synchronized (received) {
                received.add(new Received(exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders().getFirst("X-Palabre-Delivery"), timestamp, signature,
                        new String(body, StandardCharsets.UTF_8), valid));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    /** The address to give a rule, ending in {@code path}. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The secret the signatures of requests to {@code path} are checked with. */
    public void secret(String path, String secret) {
        secrets.put(path, secret);
    }

    /** Answers the next {@code n} requests with 503. */
    public void failNext(int n) {
        failNext.set(n);
    }

    /** Everything received so far, in order. */
    public List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    static String expected(String secret, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
