package io.palabre.ingest.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;


import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.palabre.ingest.connector.Text;
import io.palabre.ingest.messaging.AuditTrail;
import io.palabre.ingest.messaging.Outbox;
import io.palabre.ingest.messaging.OutboxRecord;
import io.palabre.support.UntrustedText;
import io.quarkus.panache.common.Sort;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Stores listening queries and publishes every change on the compacted topic {@code queries} (a deletion as a
 * tombstone), so that other services know the organisation's accounts: the change and its outgoing record are saved
 * in one transaction and {@link Outbox} relays the record, so a change is never lost and never published unsaved.
 * Connectors read the stored queries at each cycle, so a change takes effect without a restart.
 */
@ApplicationScoped
public class QueryService {

    static final Set<String> PLATFORMS = Set.of("mastodon", "bluesky", "reddit", "hackernews", "x", "rss");

    private final Outbox outbox;
    private final ObjectMapper mapper;

    public QueryService(Outbox outbox, ObjectMapper mapper) {
        this.outbox = outbox;
        this.mapper = mapper;
    }

    /** Invalid requests, with one message per problem. */
    public static final class InvalidQueryException extends RuntimeException {

        private final List<String> errors;

        InvalidQueryException(List<String> errors) {
            super(String.join("; ", errors), null, false, false);
            this.errors = errors;
        }

        public List<String> errors() {
            return errors;
        }
    }

    /** Another query already has the name. */
    public static final class DuplicateNameException extends RuntimeException {

        DuplicateNameException(String name) {
            super("A listening query named '" + name + "' exists already", null, false, false);
        }
    }

    @Transactional
    public List<QueryView> list() {
        return ListeningQuery.<ListeningQuery> listAll(Sort.ascending("name")).stream().map(QueryView::of).toList();
    }

    @Transactional
    public List<ListeningQuery> enabled() {
        return ListeningQuery.list("enabled", true);
    }

    @Transactional
    public Optional<QueryView> find(String id) {
        return ListeningQuery.<ListeningQuery> findByIdOptional(id).map(QueryView::of);
    }

    public QueryView create(QueryRequest request, SecurityIdentity by) {
        QueryView view = store(null, request, by);
        outbox.nudge();
        return view;
    }

    public Optional<QueryView> replace(String id, QueryRequest request, SecurityIdentity by) {
        Optional<QueryView> view = replaceStored(id, request, by);
        view.ifPresent(v -> outbox.nudge());
        return view;
    }

    public boolean delete(String id, SecurityIdentity by) {
        boolean deleted = deleteStored(id, by);
        if (deleted) {
            outbox.nudge();
        }
        return deleted;
    }

    @Transactional
    Optional<QueryView> replaceStored(String id, QueryRequest request, SecurityIdentity by) {
        if (ListeningQuery.findByIdOptional(id).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(store(id, request, by));
    }

    @Transactional
    boolean deleteStored(String id, SecurityIdentity by) {
        ListeningQuery query = ListeningQuery.findById(id);
        if (query == null) {
            return false;
        }
        String name = query.name;
        query.delete();
        OutboxRecord.record(Outbox.QUERIES, id, null);
        AuditTrail.record(by, "query.delete", id, Map.of("name", name));
        return true;
    }

    @Transactional
    QueryView store(String id, QueryRequest request, SecurityIdentity by) {
        List<String> errors = new ArrayList<>();
        String name = request.name() == null ? "" : request.name().trim();
        if (name.isEmpty() || name.length() > 200) {
            errors.add("name: required, 1 to 200 characters");
        }
        String terms = request.terms() == null ? "" : request.terms().trim();
        if (!terms.isEmpty()) {
            try {
                TermExpression.parse(terms);
            } catch (IllegalArgumentException e) {
                errors.add("terms: " + e.getMessage());
            }
        }
        List<String> hashtags = clean(request.hashtags()).stream().map(Text::hashtag).distinct().toList();
        List<String> accounts = globalIds("accounts", request.accounts(), errors);
        List<String> organisation = globalIds("organisationAccounts", request.organisationAccounts(), errors);
        List<String> platforms = clean(request.platforms());
        if (platforms.isEmpty()) {
            errors.add("platforms: at least one of " + new java.util.TreeSet<>(PLATFORMS));
        }
        platforms.stream().filter(p -> !PLATFORMS.contains(p))
                .forEach(p -> errors.add("platforms: unknown platform '" + p + "'"));
        if (terms.isEmpty() && hashtags.isEmpty() && accounts.isEmpty()) {
            errors.add("a query needs terms, hashtags or accounts to listen for");
        }
        refuseControlCharacters("name", List.of(name), errors);
        refuseControlCharacters("terms", List.of(terms), errors);
        refuseControlCharacters("hashtags", hashtags, errors);
        refuseControlCharacters("accounts", accounts, errors);
        refuseControlCharacters("organisationAccounts", organisation, errors);
        refuseControlCharacters("platforms", platforms, errors);
        if (!errors.isEmpty()) {
            throw new InvalidQueryException(errors);
        }
        ListeningQuery sameName = ListeningQuery.find("name", name).firstResult();
        if (sameName != null && !sameName.id.equals(id)) {
            throw new DuplicateNameException(name);
        }
        Instant now = Instant.now();
        ListeningQuery q = id == null ? new ListeningQuery() : ListeningQuery.findById(id);
        if (id == null) {
            q.id = UUID.randomUUID().toString();
            q.createdAt = now;
        }
        q.name = name;
        q.terms = terms;
        q.hashtags = hashtags.toArray(String[]::new);
        q.accounts = accounts.toArray(String[]::new);
        q.platforms = platforms.toArray(String[]::new);
        q.organisationAccounts = organisation.toArray(String[]::new);
        q.enabled = request.enabled() == null || request.enabled();
        q.updatedAt = now;
        q.persistAndFlush();
        QueryView view = QueryView.of(q);
        try {
            OutboxRecord.record(Outbox.QUERIES, view.id(), mapper.writeValueAsString(view));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        AuditTrail.record(by, id == null ? "query.create" : "query.update", view.id(), Map.of("name", view.name(),
                "enabled", view.enabled(), "organisationAccounts", view.organisationAccounts()));
        return view;
    }

    private static void refuseControlCharacters(String field, List<String> values, List<String> errors) {
        for (String value : values) {
            if (UntrustedText.unusable(value) >= 0) {
                errors.add(field + ": may not hold control characters or lone surrogates");
                return;
            }
        }
    }

    private static List<String> clean(List<String> values) {
        Set<String> out = new LinkedHashSet<>();
        if (values != null) {
            for (String v : values) {
                if (v != null && !v.isBlank()) {
                    out.add(v.trim());
                }
            }
        }
        return new ArrayList<>(out);
    }

    private static List<String> globalIds(String field, List<String> values, List<String> errors) {
        List<String> ids = clean(values);
        for (String id : ids) {
            int colon = id.indexOf(':');
            if (colon < 1 || !PLATFORMS.contains(id.substring(0, colon)) && !id.startsWith("other:")
                    || id.length() == colon + 1 || id.contains(" ")) {
                errors.add(field + ": '" + id + "' is not a global account id such as bluesky:did:plc:abc or "
                        + "mastodon:user@example.social");
            }
        }
        return ids;
    }

}
