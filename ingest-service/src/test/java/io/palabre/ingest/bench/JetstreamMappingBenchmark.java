package io.palabre.ingest.bench;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.palabre.ingest.connector.Mapping;
import io.palabre.ingest.connector.MentionBuilder.Source;
import io.palabre.ingest.connector.bluesky.BlueskyMapper;
import io.palabre.ingest.domain.MentionCaptured;
import io.palabre.ingest.query.ListeningQuery;
import io.palabre.ingest.query.QueryMatcher;

/**
 * Measures what the Jetstream connector does per event on one thread: parse the JSON, map it, and filter it with
 * a listening query. The recorded Jetstream sample (fixtures/platforms/bluesky-jetstream-v1-golden-events.ndjson:
 * posts, reposts, likes, follows, profile updates, deletes, identity and account events) is repeated with
 * distinct record keys to the requested count. Prints events/s on one core and bytes allocated per event.
 *
 * <pre>./mvnw -q -pl ingest-service test-compile exec:exec -Dexec.classpathScope=test \
 *     -Dexec.executable=java -Dexec.args="-cp %classpath io.palabre.ingest.bench.JetstreamMappingBenchmark 300000"</pre>
 */
public final class JetstreamMappingBenchmark {

    private JetstreamMappingBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        List<String> sample = new ArrayList<>();
        try (InputStream in = JetstreamMappingBenchmark.class
                .getResourceAsStream("/fixtures/platforms/bluesky-jetstream-v1-golden-events.ndjson")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    sample.add(line);
                }
            }
        }
        List<String> events = new ArrayList<>(count);
        for (int i = 0; events.size() < count; i++) {
            for (String line : sample) {
                events.add(line.replace("\"rkey\":\"", "\"rkey\":\"" + Integer.toString(i, 36) + "x"));
            }
        }
        long bytes = events.stream().mapToLong(e -> e.getBytes(StandardCharsets.UTF_8).length).sum();
        ObjectMapper json = new ObjectMapper();
        BlueskyMapper mapper = new BlueskyMapper();
        ListeningQuery query = new ListeningQuery();
        query.name = "bench";
        query.terms = "(\"good time\" OR rsv*) -spam";
        query.hashtags = new String[] { "acmerail" };
        query.accounts = new String[] { "bluesky:did:plc:ewvi7nxzyoun6zhxrhs64oiz" };
        query.platforms = new String[] { "bluesky" };
        QueryMatcher matcher = new QueryMatcher(query);
        Source source = new Source("bluesky-jetstream", "bench", Instant.now());
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();

        System.out.printf("Jetstream mapping: %,d events (%,d bytes, %.0f B/event), one thread, %d rounds%n",
                events.size(), bytes, (double) bytes / events.size(), rounds);
        for (int round = 1; round <= rounds; round++) {
            long allocated = threads.getThreadAllocatedBytes(thread);
            long t0 = System.nanoTime();
            long mentions = 0;
            long matched = 0;
            for (String event : events) {
                JsonNode node = json.readTree(event);
                Mapping mapping = mapper.mapJetstream(node, source);
                for (MentionCaptured m : mapping.mentions()) {
                    mentions++;
                    if (matcher.matches(m)) {
                        matched++;
                    }
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double perEvent = (threads.getThreadAllocatedBytes(thread) - allocated) / (double) events.size();
            System.out.printf("round %d: %,.0f events/s on one core, %.0f bytes allocated per event "
                    + "(%,d mentions, %,d matched the query)%n", round, events.size() / seconds, perEvent, mentions,
                    matched);
        }
    }
}
