package io.palabre.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.palabre.analysis.domain.AccountMetrics;
import io.palabre.analysis.domain.MentionThreaded;
import io.palabre.analysis.domain.RelationshipUpdated;
import io.palabre.testing.Contracts;

/**
 * What analysis-service publishes, and the shared examples, against docs/contracts.
 */
class ContractTest {

    private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @Test
    void examplesFollowTheirSchemas() {
        for (String name : List.of("relationship-updated", "account-metrics")) {
            String json = Contracts.read(Contracts.examples(name, true).get(0));
            assertTrue(Contracts.validate(name + ".schema.json", json).isEmpty(), name);
        }
        String bad = Contracts.read(Contracts.examples("relationship-bad-type", false).get(0));
        assertFalse(Contracts.validate("relationship-updated.schema.json", bad).isEmpty());
    }

    @Test
    void recordsSerialiseToTheirSchemas() throws Exception {
        Instant at = Instant.parse("2026-03-02T10:00:00Z");
        String relationship = MAPPER.writeValueAsString(new RelationshipUpdated("x:1", "x:2", "quote", 2, at, at, 3));
        assertTrue(Contracts.validate("relationship-updated.schema.json", relationship).isEmpty(), relationship);
        String gone = MAPPER.writeValueAsString(new RelationshipUpdated("x:1", "x:2", "quote", 0, null, null, 4));
        assertTrue(Contracts.validate("relationship-updated.schema.json", gone).isEmpty(), gone);

        AccountMetrics.Degrees d = new AccountMetrics.Degrees(1, 2, 3, 4);
        String metrics = MAPPER.writeValueAsString(new AccountMetrics("x:1", 1L, at, 0.5,
                Map.of("reply", 0.1, "mention", 0.2, "quote", 0.3, "repost", 0.4), 1, 0.0, 0.5, 0, 3,
                Map.of("reply", d, "mention", d, "quote", d, "repost", d, "all", d)));
        assertTrue(Contracts.validate("account-metrics.schema.json", metrics).isEmpty(), metrics);

        String threaded = MAPPER.writeValueAsString(new MentionThreaded("x:1", "x:1", false, false, "en", true,
                List.of("acme"), List.of("https://example.org/a"),
                List.of(new MentionThreaded.Target("reply", "x:2"), new MentionThreaded.Target("mention", "x:3")),
                at, 3, Contracts.read(Contracts.examples("mention-x-repost", true).get(0)).trim()));
        assertTrue(Contracts.validate("mention-threaded.schema.json", threaded).isEmpty(), threaded);
    }
}
