package io.palabre.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.palabre.dashboard.domain.ConversationUpdated;
import io.palabre.dashboard.domain.MentionThreaded;
import io.palabre.testing.Contracts;

/**
 * dashboard-service's own records read the example messages of docs/contracts, and the messages its tests send
 * follow the schemas; plain JUnit.
 */
class ContractTest {

    private final ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule());

    @Test
    void conversationUpdatedExampleIsReadCompletely() throws Exception {
        String json = Contracts.read(Contracts.examples("conversation-updated", true).get(0));
        assertTrue(Contracts.validate("conversation-updated.schema.json", json).isEmpty());
        ConversationUpdated update = mapper.readValue(json, ConversationUpdated.class);
        assertEquals(5, update.size());
        assertEquals(3, update.depth());
        assertEquals("2023-08-07T06:10:00Z", update.lastActivityAt().toString());
    }

    @Test
    void mentionThreadedExampleIsReadCompletely() throws Exception {
        String json = Contracts.read(Contracts.examples("mention-threaded", true).get(0));
        assertTrue(Contracts.validate("mention-threaded.schema.json", json).isEmpty());
        MentionThreaded threaded = mapper.readValue(json, MentionThreaded.class);
        assertEquals("bluesky:did:plc:u5cwb2mwiv2bfq53cjufe6yn", threaded.mention().author().id());
        assertEquals("bluesky:at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/app.bsky.feed.post/3k43tv4rft22g",
                threaded.mention().replyTo().id());
    }

    @Test
    void messagesTheTestsSendFollowTheSchemas() {
        java.time.Instant at = java.time.Instant.parse("2030-01-01T00:00:00Z");
        String mention = ReadModelTest.mention("x:1", "x:1", null, at)[1];
        assertTrue(Contracts.validate("mention-threaded.schema.json", mention).isEmpty(), mention);
        String conversation = ReadModelTest.conversation("x:1", 1, 0, at, at)[1];
        assertTrue(Contracts.validate("conversation-updated.schema.json", conversation).isEmpty(), conversation);
    }
}
