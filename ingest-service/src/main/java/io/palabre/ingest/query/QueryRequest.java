package io.palabre.ingest.query;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A listening query as clients create or replace it.
 */
@Schema(description = "A listening query", example = """
        {"name":"acme","terms":"\\"acme rail\\" OR acmerail -job*","hashtags":["acmerail"],
         "accounts":["bluesky:did:plc:acmerailofficial"],"platforms":["bluesky","mastodon","x"],
         "organisationAccounts":["bluesky:did:plc:acmerailofficial","mastodon:acmerail@mastodon.social"],
         "enabled":true}""")
public record QueryRequest(
        @Schema(description = "Unique name, 1 to 200 characters") String name,
        @Schema(description = "Boolean terms: words, \"phrases\", AND, OR, NOT or -, parentheses, prefix*") String terms,
        @Schema(description = "Hashtags, without '#'") List<String> hashtags,
        @Schema(description = "Accounts to watch (global ids): their posts, and posts mentioning or answering them") List<String> accounts,
        @Schema(description = "Platforms to listen on: mastodon, bluesky, reddit, hackernews, x, rss") List<String> platforms,
        @Schema(description = "The organisation's own accounts (global ids); dialogue metrics measure them") List<String> organisationAccounts,
        @Schema(description = "Whether connectors collect for it; default true") Boolean enabled) {
}
