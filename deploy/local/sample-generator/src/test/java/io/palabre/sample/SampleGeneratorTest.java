package io.palabre.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;

/**
 * The sample generator's output on its own: contract, reproducibility and realism; plain JUnit.
 */
class SampleGeneratorTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private static SampleGenerator.Sample sample() {
        return new SampleGenerator(42, START, Duration.ofDays(7)).generate(3000);
    }

    @Test
    void everyMentionFollowsTheContract() throws Exception {
        java.nio.file.Path schemaFile = java.nio.file.Path.of(System.getProperty("palabre.contracts.dir"),
                "mention.schema.json");
        JsonSchema schema;
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(schemaFile)) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in,
                    SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
        }
        ObjectMapper mapper = new ObjectMapper();
        for (SampleGenerator.Event e : sample().events()) {
            assertTrue(schema.validate(mapper.readTree(e.json().toString())).isEmpty(), e.json().toString());
        }
    }

    @Test
    void nothingHappensAfterTheEndOfTheSpan() {
        Instant end = START.plus(Duration.ofDays(7));
        assertTrue(sample().events().stream().noneMatch(e -> e.createdAt().isAfter(end)));
    }

    @Test
    void sameSeedGivesTheSameMentions() {
        List<String> a = sample().events().stream().map(e -> e.json().toString()).toList();
        List<String> b = sample().events().stream().map(e -> e.json().toString()).toList();
        assertEquals(a, b);
    }

    @Test
    void sampleHasDeepThreadsSeveralPlatformsQuotesRepostsAndOrganisationAnswers() {
        SampleGenerator.Sample sample = sample();
        Map<String, String> parent = new HashMap<>();
        Set<String> platforms = new HashSet<>();
        for (SampleGenerator.Event e : sample.events()) {
            platforms.add(e.json().get("platform").asText());
            if (e.json().hasNonNull("replyTo")) {
                parent.put(e.id(), e.json().get("replyTo").get("id").asText());
            }
        }
        int deepest = 0;
        for (String id : parent.keySet()) {
            int depth = 0;
            for (String p = id; parent.containsKey(p); p = parent.get(p)) {
                depth++;
            }
            deepest = Math.max(deepest, depth);
        }
        assertTrue(deepest >= 5, "deepest reply chain " + deepest);
        assertEquals(5, platforms.size());
        assertTrue(sample.reposts() > 50 && sample.quotes() > 5 && sample.organisationAnswers() > 50,
                sample.toString().substring(0, 0) + sample.reposts() + " " + sample.quotes() + " "
                        + sample.organisationAnswers());
        assertTrue(sample.conversations().size() > 300 && sample.replies() > 1000);
    }

    @Test
    void someRepliesArriveBeforeTheirParent() {
        Set<String> seen = new HashSet<>();
        int early = 0;
        for (SampleGenerator.Event e : sample().events()) {
            if (e.json().hasNonNull("replyTo") && !seen.contains(e.json().get("replyTo").get("id").asText())) {
                early++;
            }
            seen.add(e.id());
        }
        assertTrue(early > 10, early + " replies before their parent");
    }

    @Test
    void activityFollowsAPowerLaw() {
        Map<String, Integer> posts = new HashMap<>();
        sample().events().forEach(e -> posts.merge(e.json().get("author").get("id").asText(), 1, Integer::sum));
        List<Integer> counts = posts.values().stream().sorted((x, y) -> y - x).toList();
        int top = counts.subList(0, Math.max(1, counts.size() / 20)).stream().mapToInt(Integer::intValue).sum();
        int all = counts.stream().mapToInt(Integer::intValue).sum();
        assertTrue(top > all / 4, "the top 5% of accounts write " + top + " of " + all);
    }
}
