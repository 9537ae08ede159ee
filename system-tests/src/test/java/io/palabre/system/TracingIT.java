package io.palabre.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.palabre.launcher.PalabreStack;
import io.palabre.system.OtlpReceiver.ReceivedSpan;

/**
 * One mention followed by its trace from the import to dashboard-service's read model: the three packaged services
 * export their spans (OTLP over HTTP) to a collector of the test's own, and the spans of the import's trace must form
 * one chain across the services, each the parent of the next: the HTTP request, its record on {@code mentions}, the
 * mention's processing in analysis-service, and the read model's taking of the threaded mention. The import's log
 * line carries the same trace id.
 */
class TracingIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Path PROJECT = Path.of(System.getProperty("palabre.project.dir", "..")).toAbsolutePath()
            .normalize();
    private static final int SERVER = 2;
    private static final int PRODUCER = 4;
    private static final int CONSUMER = 5;

    @Test
    void oneMentionsPathFromImportToReadModelIsOneTrace() throws Exception {
        Path logs = Path.of("target", "tracing-logs").toAbsolutePath();
        try (OtlpReceiver collector = new OtlpReceiver()) {
            Map<String, String> tracing = Map.of("quarkus.otel.sdk.disabled", "false",
                    "quarkus.otel.exporter.otlp.endpoint", collector.endpoint(),
                    "quarkus.otel.exporter.otlp.protocol", "http/protobuf",
                    "quarkus.otel.bsp.schedule.delay", "200ms");
            Map<String, Map<String, String>> config = Map.of("ingest-service", tracing, "analysis-service", tracing,
                    "dashboard-service", tracing);
            try (KillableStack stack = KillableStack.start(PROJECT, Files.createTempDirectory("palabre-tracing-"),
                    logs, config)) {
                String id = "mastodon:https://tracing.example/users/ann/statuses/" + Instant.now().toEpochMilli();
                HttpResponse<String> response = PalabreStack.importNdjson(stack.url("ingest-service"),
                        Api.ADMIN.token(), (mention(id) + "\n").getBytes(StandardCharsets.UTF_8));
                assertEquals(202, response.statusCode(), response.body());

                await().atMost(Duration.ofMinutes(2)).ignoreExceptions().until(() -> Api.status(
                        stack.url("dashboard-service") + "/api/conversations/" + Api.encode(id)) == 200);

                // The chain, each span the parent of the next, all in the import request's trace.
                ReceivedSpan[] chain = new ReceivedSpan[4];
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    List<ReceivedSpan> spans = collector.spans();
                    ReceivedSpan request = find(spans, "ingest-service", SERVER, "POST /api/imports")
                            .orElseThrow(() -> new AssertionError("no span of the import request in " + names(spans)));
                    chain[0] = request;
                    chain[1] = descendant(spans, request, "ingest-service", PRODUCER, "mentions publish");
                    chain[2] = descendant(spans, chain[1], "analysis-service", CONSUMER, "mentions process");
                    chain[3] = descendant(spans, chain[2], "dashboard-service", CONSUMER, "threaded-mentions process");
                });
                String traceId = chain[0].traceId();
                for (ReceivedSpan span : chain) {
                    assertEquals(traceId, span.traceId(), span + " is not in the import's trace");
                }

                // The import's log line carries the trace id (text logs: after the level).
                String ingestLog = Files.readString(logs.resolve("ingest-service.log"));
                assertTrue(ingestLog.lines().anyMatch(l -> l.contains("Import ") && l.contains(traceId)),
                        "no log line of the import with trace id " + traceId);
            }
        }
    }

    /**
     * The span of {@code service} with that kind and name whose parent is {@code parent} or, through spans of the
     * messaging layer in between (a receive span, say), a descendant of it in the same trace.
     */
    private static ReceivedSpan descendant(List<ReceivedSpan> spans, ReceivedSpan ancestor, String service, int kind,
            String name) {
        Map<String, ReceivedSpan> byId = spans.stream()
                .collect(Collectors.toMap(ReceivedSpan::spanId, s -> s, (a, b) -> a));
        for (ReceivedSpan s : spans) {
            if (!s.service().equals(service) || s.kind() != kind || !s.name().equals(name)
                    || !s.traceId().equals(ancestor.traceId())) {
                continue;
            }
            ReceivedSpan up = s;
            for (int depth = 0; depth < 5 && up != null; depth++) {
                if (up.parentSpanId().equals(ancestor.spanId())) {
                    return s;
                }
                up = byId.get(up.parentSpanId());
            }
        }
        throw new AssertionError("no " + name + " span of " + service + " under " + ancestor + " in " + names(spans));
    }

    private static Optional<ReceivedSpan> find(List<ReceivedSpan> spans, String service, int kind, String name) {
        return spans.stream().filter(s -> service.equals(s.service()) && s.kind() == kind && s.name().equals(name))
                .findFirst();
    }

    private static String names(List<ReceivedSpan> spans) {
        return spans.stream().map(s -> s.service() + ":" + s.name() + "(" + s.kind() + ")").distinct()
                .collect(Collectors.joining(", "));
    }

    /** A Mastodon post, canonical, as the palabre import format takes it. */
    private static String mention(String id) {
        ObjectNode m = MAPPER.createObjectNode().put("id", id).put("platform", "mastodon").put("kind", "post")
                .put("url", "https://tracing.example/@ann/1").put("createdAt", Instant.now().toString());
        m.putObject("author").put("id", "mastodon:ann@tracing.example").put("handle", "ann@tracing.example")
                .putNull("displayName").put("bot", false);
        m.put("text", "a post followed by its trace").put("lang", "en");
        m.putNull("replyTo").putNull("conversationId");
        m.putArray("mentions");
        m.putArray("hashtags");
        m.putArray("links");
        m.putNull("quoteOf").putNull("repostOf");
        m.putObject("source").put("connector", "import:palabre").putNull("query").put("capturedAt",
                Instant.now().toString());
        return m.toString();
    }
}
