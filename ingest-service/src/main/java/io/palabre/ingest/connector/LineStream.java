package io.palabre.ingest.connector;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

/**
 * A long-lived HTTP stream read line by line (server-sent events, X's filtered stream): reconnects with backoff
 * when it ends or fails, and treats silence longer than the stall timeout (keep-alives count) as a stall, closing
 * and reopening it. A line longer than the cap is never held whole: its beginning goes to {@code onOversized} and the
 * rest is skipped.
 */
public final class LineStream implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LineStream.class);

    private final String name;
    private final Supplier<URI> uri;
    private final Supplier<Map<String, String>> headers;
    private final Consumer<String> onLine;
    private final Duration stallTimeout;
    private final ListeningService.ScopeStatus status;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ScheduledExecutorService threads;
    private volatile InputStream body;
    private volatile Instant lastLineAt;
    private volatile boolean closed;
    private volatile java.util.function.BiConsumer<Instant, Instant> onResume = (from, to) -> {
    };
    private final int maxLineChars;
    private final OutboundGuard guard;
    private final Consumer<String> onOversized;

    public LineStream(String name, Supplier<URI> uri, Supplier<Map<String, String>> headers, Consumer<String> onLine,
            Duration stallTimeout, ListeningService.ScopeStatus status, int maxLineChars,
            Consumer<String> onOversized, OutboundGuard guard) {
        this.name = name;
        this.guard = guard;
        this.maxLineChars = maxLineChars;
        this.onOversized = onOversized;
        this.uri = uri;
        this.headers = headers;
        this.onLine = onLine;
        this.stallTimeout = stallTimeout;
        this.status = status;
        this.threads = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "palabre-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Called on each (re)connection that follows a silence of a second or more, with its start and end. */
    public LineStream onResume(java.util.function.BiConsumer<Instant, Instant> callback) {
        this.onResume = callback;
        return this;
    }

    public void start() {
        lastLineAt = Instant.now(); // listening starts now: a late first connection is a silence too
        threads.execute(this::run);
        threads.scheduleWithFixedDelay(this::watch, 1, 1, TimeUnit.SECONDS);
    }

    /** Connected and hearing lines (data or keep-alives) recently enough. */
    public boolean healthy() {
        Instant last = lastLineAt;
        return body != null && last != null && Duration.between(last, Instant.now()).compareTo(stallTimeout) < 0;
    }

    private void run() {
        while (!closed) {
            try {
                URI target = uri.get();
                guard.check(target);
                HttpRequest.Builder request = HttpRequest.newBuilder(target).GET();
                headers.get().forEach(request::header);
                HttpResponse<InputStream> response = client.send(request.build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                if (response.statusCode() != 200) {
                    String error = new String(response.body().readNBytes(300), StandardCharsets.UTF_8);
                    response.body().close();
                    throw new IOException("answered " + response.statusCode() + ": " + error);
                }
                body = response.body();
                Instant silentSince = lastLineAt;
                lastLineAt = Instant.now();
                if (silentSince != null && Duration.between(silentSince, lastLineAt).toSeconds() >= 1) {
                    onResume.accept(silentSince, lastLineAt);
                }
                status.consecutiveFailures = 0;
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                    readLines(reader);
                }
                throw new IOException("the stream ended");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                body = null;
                if (closed) {
                    return;
                }
                status.lastErrorAt = Instant.now();
                if (status.lastError == null || !status.lastError.startsWith("stalled")) {
                    status.lastError = e.getMessage();
                }
                status.consecutiveFailures++;
                long wait = Math.min(60_000, 500L << Math.min(7, status.consecutiveFailures));
                LOG.warnf("%s stream: %s; reconnecting in %d ms", name, e.getMessage(), wait);
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Hands each line to {@code onLine}; one over the cap has its beginning handed to {@code onOversized}. */
    private void readLines(BufferedReader reader) throws IOException {
        StringBuilder line = new StringBuilder();
        boolean oversized = false;
        int c;
        while ((c = reader.read()) >= 0) {
            if (c == '\n') {
                lastLineAt = Instant.now();
                int end = line.length() > 0 && line.charAt(line.length() - 1) == '\r' ? line.length() - 1 : line.length();
                if (oversized) {
                    LOG.warnf("%s stream: a line over %d characters was dropped", name, maxLineChars);
                    onOversized.accept(line.toString());
                } else {
                    onLine.accept(line.substring(0, end));
                }
                line.setLength(0);
                oversized = false;
            } else if (line.length() < maxLineChars) {
                line.append((char) c);
            } else {
                oversized = true;
            }
        }
    }

    private void watch() {
        InputStream current = body;
        if (current != null && !healthy()) {
            status.lastErrorAt = Instant.now();
            status.lastError = "stalled: nothing for " + stallTimeout.toSeconds() + " s";
            try {
                current.close(); // ends the read loop, which reconnects
            } catch (IOException ignored) {
                // Closing a dead stream may fail; the read loop notices either way.
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        threads.shutdownNow();
        InputStream current = body;
        if (current != null) {
            try {
                current.close();
            } catch (IOException ignored) {
                // Already closed.
            }
        }
    }
}
