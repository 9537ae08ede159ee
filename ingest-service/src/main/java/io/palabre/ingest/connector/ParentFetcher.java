package io.palabre.ingest.connector;

import io.palabre.ingest.connector.MentionBuilder.Source;
import io.palabre.ingest.connector.PlatformHttp.PlatformException;
import io.palabre.ingest.domain.MentionCaptured;

/**
 * Fetches the ancestors of a reply whose parent Palabre has not collected, in as few platform calls as the
 * platform allows.
 */
public interface ParentFetcher {

    String platform();

    /** The parent and as many of its ancestors (up to {@code maxDepth}) as one call returns. */
    Mapping ancestors(MentionCaptured reply, int maxDepth, Source source) throws PlatformException;
}
