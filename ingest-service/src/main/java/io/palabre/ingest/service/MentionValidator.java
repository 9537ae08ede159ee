package io.palabre.ingest.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import io.palabre.ingest.config.IngestConfig;
import io.palabre.ingest.domain.MentionCaptured;

/**
 * Turns one JSON text into a canonical mention, or explains why it is not one: the JSON Schema of
 * docs/contracts first, then the edge's rules for hostile text, URLs and dates ({@link MentionNormaliser}), then the
 * rules a schema cannot say (ids on the mention's own platform, reposts that name what they repost). Mentions that
 * connectors build pass the same rules through {@link #check}.
 */
@ApplicationScoped
public class MentionValidator {

    private static final int MAX_LISTED_PROBLEMS = 5;
    private static final Set<String> PLATFORMS = Set.of("mastodon", "bluesky", "reddit", "hackernews", "x", "rss",
            "other");
    private static final Set<String> KINDS = Set.of("post", "repost", "edit", "delete");

    private final ObjectMapper mapper;
    private final JsonSchema schema;
    private final MentionNormaliser normaliser;

    @jakarta.inject.Inject
    public MentionValidator(ObjectMapper mapper, IngestConfig config) {
        this(mapper, new MentionNormaliser(config.mentions().earliest(), config.mentions().maxAhead()));
    }

    public MentionValidator(ObjectMapper mapper, MentionNormaliser normaliser) {
        this.mapper = mapper;
        this.schema = loadSchema();
        this.normaliser = normaliser;
    }

    private static JsonSchema loadSchema() {
        try (InputStream in = MentionValidator.class.getResourceAsStream("/contracts/mention.schema.json")) {
            if (in == null) {
                throw new IllegalStateException("contracts/mention.schema.json is missing from the classpath");
            }
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses and checks one mention. */
    public MentionCaptured validate(String json) throws InvalidMentionException {
        JsonNode node;
        try {
            node = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidMentionException("not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new InvalidMentionException("not a JSON object");
        }
        Set<ValidationMessage> problems = schema.validate(node);
        if (!problems.isEmpty()) {
            String listed = problems.stream()
                    .map(ValidationMessage::getMessage)
                    .sorted(Comparator.naturalOrder())
                    .limit(MAX_LISTED_PROBLEMS)
                    .collect(Collectors.joining("; "));
            String more = problems.size() > MAX_LISTED_PROBLEMS
                    ? " (and " + (problems.size() - MAX_LISTED_PROBLEMS) + " more)"
                    : "";
            throw new InvalidMentionException(listed + more);
        }
        MentionCaptured mention;
        try {
            mention = mapper.treeToValue(node, MentionCaptured.class);
        } catch (JsonProcessingException e) {
            throw new InvalidMentionException("does not map to a mention: " + e.getOriginalMessage());
        }
        return check(mention);
    }

    /** The mention as Palabre takes it in (cleaned by the edge's rules), or why it cannot be taken in. */
    public MentionCaptured check(MentionCaptured mention) throws InvalidMentionException {
        MentionCaptured normalised = normaliser.normalise(mention, java.time.Instant.now());
        checkRules(normalised);
        return normalised;
    }

    private static void checkRules(MentionCaptured m) throws InvalidMentionException {
        if (m.platform() == null || !PLATFORMS.contains(m.platform())) {
            throw new InvalidMentionException("$.platform: one of " + PLATFORMS);
        }
        if (m.kind() == null || !KINDS.contains(m.kind())) {
            throw new InvalidMentionException("$.kind: one of " + KINDS);
        }
        String prefix = m.platform() + ":";
        if (!m.id().startsWith(prefix)) {
            throw new InvalidMentionException("$.id: must start with '" + prefix + "' (the mention's platform)");
        }
        if (!m.author().id().startsWith(prefix)) {
            throw new InvalidMentionException("$.author.id: must start with '" + prefix + "' (the mention's platform)");
        }
        if ("repost".equals(m.kind()) && m.repostOf() == null) {
            throw new InvalidMentionException("$.repostOf: a repost must name the post it reposts");
        }
        if (!"repost".equals(m.kind()) && m.repostOf() != null) {
            throw new InvalidMentionException("$.repostOf: only a repost may name a reposted post");
        }
        if (m.replyTo() != null && m.replyTo().id().equals(m.id())) {
            throw new InvalidMentionException("$.replyTo.id: a post cannot answer itself");
        }
    }

    /** Why a payload is not a valid mention. */
    public static final class InvalidMentionException extends Exception {

        public InvalidMentionException(String reason) {
            super(reason, null, false, false);
        }
    }
}
