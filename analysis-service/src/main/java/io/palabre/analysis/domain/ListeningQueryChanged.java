package io.palabre.analysis.domain;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The latest state of a listening query, as analysis-service reads it from the compacted topic {@code queries}
 * (docs/contracts/query.schema.json): only what it needs, which accounts are the organisation's own.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ListeningQueryChanged(String id, String name, List<String> organisationAccounts) {
}
