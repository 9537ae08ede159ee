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

        /** How many rejected lines the response lists with their reason; all of them go to the dead-letter topic. */
        @WithDefault("1000")
        int maxReportedRejections();
    }

    /** Back-pressure towards Kafka. */
    interface Publishing {

        /** Records sent but not yet acknowledged by the broker, at most. */
        @WithDefault("2048")
        int maxInFlight();
    }
}
