package io.palabre.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.palabre.ingest.domain.MentionCaptured;
import io.palabre.ingest.service.MentionNormaliser;
import io.palabre.ingest.service.MentionValidator;
import io.palabre.testing.Contracts;

/**
 * ingest-service's own records against docs/contracts/mention.schema.json and its example messages; plain JUnit.
 */
class MentionContractTest {

    private final ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final MentionValidator validator = new MentionValidator(mapper, MentionNormaliser.withDefaults());

    @Test
    void everyValidExampleIsAcceptedAndPublishedExactlyAsTheSchemaSays() throws Exception {
        List<Path> examples = Contracts.examples("mention-", true).stream()
                .filter(p -> !p.getFileName().toString().startsWith("mention-threaded")
                        && !p.getFileName().toString().startsWith("mention-rejected"))
                .toList();
        assertFalse(examples.isEmpty());
        for (Path example : examples) {
            MentionCaptured mention = validator.validate(Contracts.read(example));
            String published = mapper.writeValueAsString(mention);
            assertTrue(Contracts.validate("mention.schema.json", published).isEmpty(), example + ": " + published);
            assertEquals(Contracts.tree(Contracts.read(example)), Contracts.tree(published),
                    example + " survives the round trip unchanged");
        }
    }

    @Test
    void everyInvalidExampleIsRejected() {
        List<Path> examples = Contracts.examples("mention-", false);
        assertFalse(examples.isEmpty());
        for (Path example : examples) {
            assertFalse(Contracts.validate("mention.schema.json", Contracts.read(example)).isEmpty(), example.toString());
            assertThrows(MentionValidator.InvalidMentionException.class, () -> validator.validate(Contracts.read(example)),
                    example.toString());
        }
    }

    @Test
    void idOnAnotherPlatformIsRejectedWithTheRule() throws Exception {
        String json = Contracts.read(Contracts.examples("mention-mastodon-post", true).get(0))
                .replace("\"id\":\"mastodon:https://mastodon.social/users/Gargron/statuses", "\"id\":\"x:https://m");
        MentionValidator.InvalidMentionException e = assertThrows(MentionValidator.InvalidMentionException.class,
                () -> validator.validate(json));
        assertTrue(e.getMessage().contains("must start with 'mastodon:'"), e.getMessage());
    }
}
