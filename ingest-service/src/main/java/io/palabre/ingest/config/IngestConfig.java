package io.palabre.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Tunables of ingest-service.
 */
@ConfigMapping(prefix = "palabre.ingest")
public interface IngestConfig {

    /** File imports. */
    Imports imports();

    /** Publication to Kafka. */
    Publishing publishing();

    /** What a mention must be to enter Palabre. */
    Mentions mentions();

    /** Limits of {@code POST /api/imports}. */
    interface Imports {

        /** A longer line is rejected (and sent to the dead-letter topic truncated to this size). */
        @WithDefault("1048576")
        int maxLineBytes();

        /** A platform payload sent as one multi-line JSON document may be at most this long. */
        @WithDefault("67108864")
        long maxDocumentBytes();

        /** A rejected payload longer than this goes to the dead-letter topic cut to this many characters. */
        @WithDefault("262144")
        int maxDeadLetterPayloadChars();

        /**
         * How many rejected lines an import keeps in memory and lists with their reason; the others are counted,
         * and all of them go to the dead-letter topic.
         */
        @WithDefault("1000")
        int maxReportedRejections();
    }

    /** The edge's rules for every mention, imported or collected (see MentionNormaliser). */
    interface Mentions {

        /** A post older than this is refused: earlier dates are almost always a zero or a unit mistaken. */
        @WithDefault("1990-01-01T00:00:00Z")
        java.time.Instant earliest();

        /** A post dated further ahead of this machine's clock than this is refused. */
        @WithDefault("P1D")
        java.time.Duration maxAhead();
    }

    /** Back-pressure towards Kafka. */
    interface Publishing {

        /** Records sent but not yet acknowledged by the broker, at most. */
        @WithDefault("2048")
        int maxInFlight();
    }
}
