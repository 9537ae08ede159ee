package io.palabre.analysis.threading;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.palabre.analysis.domain.ConversationUpdated;
import io.palabre.analysis.domain.ListeningQueryChanged;
import io.palabre.analysis.domain.MentionThreaded;
import io.palabre.analysis.domain.RelationshipUpdated;
import io.palabre.analysis.service.OrganisationAccounts;

/**
 * Stores a batch of mentions idempotently and assigns each to its conversation, in one transaction: it reads from the
 * stores what the {@link ThreadRules} need, and writes what they decide.
 */
@ApplicationScoped
public class ThreadingService {

    /** Serialises the writers of the thread tables: merges must see every committed mention. */
    private static final long THREADING_LOCK = 0x70616c6162726531L;

    private final AgroalDataSource dataSource;
    private final OrganisationAccounts organisations;
    private final ThreadRules rules;
    private final MeterRegistry registry;
    private final Map<String, Timer> stepTimers = new java.util.concurrent.ConcurrentHashMap<>();

    public ThreadingService(AgroalDataSource dataSource, ObjectMapper mapper, OrganisationAccounts organisations,
            MeterRegistry registry) {
        this.dataSource = dataSource;
        this.organisations = organisations;
        this.rules = new ThreadRules(mapper);
        this.registry = registry;
    }

    /**
     * The time of each step of a batch, as timer {@code palabre.analysis.threading.step} tagged with the step: where
     * a batch spends its time, in the metrics of a running service.
     */
    private final class Steps {
        private long mark = System.nanoTime();

        void done(String step) {
            long now = System.nanoTime();
            stepTimers.computeIfAbsent(step, name -> Timer.builder("palabre.analysis.threading.step")
                    .description("Time of one step of threading a batch").tag("step", name).register(registry))
                    .record(now - mark, java.util.concurrent.TimeUnit.NANOSECONDS);
            mark = now;
        }
    }

    /** What a committed batch changed, for publication. */
    public record Outcome(List<MentionThreaded> mentions, List<ConversationUpdated> conversations,
            List<RelationshipUpdated> relationships, int stored, int duplicates) {

        public static Outcome empty() {
            return new Outcome(List.of(), List.of(), List.of(), 0, 0);
        }
    }

    /** Applies the batch in one transaction and returns what to publish. */
    public Outcome apply(List<ReceivedMention> batch) throws SQLException {
        return locked((c, steps) -> apply(c, batch, steps));
    }

    /**
     * Applies what one listening query says of the organisation's accounts in threading's order (under its lock, so
     * that no batch in flight misses the change) and returns the conversations those accounts wrote in, recomputed
     * (their {@code organisationTookPart} may change).
     */
    public List<ConversationUpdated> applyQuery(String queryId, ListeningQueryChanged query) throws SQLException {
        try {
            return locked((c, steps) -> {
                Set<String> changed = organisations.apply(c, queryId, query);
                if (changed.isEmpty()) {
                    return List.of();
                }
                return ConversationStore.recompute(c, MentionStore.conversationsBy(c, changed), Map.of(),
                        organisations.ids());
            });
        } catch (SQLException | RuntimeException e) {
            organisations.forget();
            throw e;
        }
    }

    /** Work on the thread tables, inside a transaction. */
    @FunctionalInterface
    private interface ThreadWork<T> {
        T run(Connection c, Steps steps) throws SQLException;
    }

    /**
     * Runs the work in one transaction holding the threading lock, which serialises the writers of the thread
     * tables: merges must see every committed mention.
     */
    private <T> T locked(ThreadWork<T> work) throws SQLException {
        Steps steps = new Steps();
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                try (Statement s = c.createStatement()) {
                    s.execute("select pg_advisory_xact_lock(" + THREADING_LOCK + ")");
                }
                steps.done("lock");
                T result = work.run(c, new Steps());
                Steps commit = new Steps();
                c.commit();
                commit.done("commit");
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
    }

    private Outcome apply(Connection c, List<ReceivedMention> received, Steps steps) throws SQLException {
        Set<String> ids = new LinkedHashSet<>();
        received.forEach(in -> ids.add(in.mention().id()));
        Map<String, MentionRow> stored = MentionStore.load(c, ids);
        Set<String> tombstoned = MentionStore.tombstoned(c, ids);
        steps.done("load");
        ThreadRules.Batch batch = rules.receive(received, stored, tombstoned);
        steps.done("versions");
        Map<String, String> parentConversations = MentionStore.conversationsOf(c, batch.missingParents());
        steps.done("parents");
        ThreadRules.thread(batch, parentConversations);

        Set<String> organisationIds = organisations.ids();
        resolveFreshAuthors(c, batch.fresh);
        steps.done("authors");
        List<MentionRow> changed = batch.changed();
        MentionStore.insert(c, batch.fresh.values());
        steps.done("insert");
        MentionStore.update(c, changed);
        MentionStore.insertTombstones(c, batch.tombstones);
        steps.done("update");
        AccountStore.upsert(c, received.stream().map(ReceivedMention::mention).filter(m -> !m.isDelete()).toList());
        steps.done("accounts");
        batch.countFresh();
        List<MentionRow> resolved = ThreadRules.resolvePending(
                MentionStore.waitingForAuthors(c, batch.fresh.keySet()), batch);
        MentionStore.saveAuthors(c, resolved);
        steps.done("pending authors");
        InteractionStore.record(c, organisationIds, batch.fresh.values(), resolved, changed);
        steps.done("interactions");
        List<RelationshipUpdated> relationshipUpdates = batch.relationships.write(c);
        steps.done("relationships");
        Map<String, String> waitedFor = MentionStore.waitedFor(c, batch.moves);
        steps.done("merges: find");
        List<String> mergedAway = MentionStore.moveConversations(c, waitedFor);
        steps.done("merges: move");

        Set<String> affected = new LinkedHashSet<>();
        batch.rows.values().forEach(r -> affected.add(r.conversationId));
        Map<String, List<String>> mergedInto = new HashMap<>();
        for (String old : mergedAway) {
            String into = batch.moves.get(old);
            affected.add(into);
            mergedInto.computeIfAbsent(into, k -> new ArrayList<>()).add(old);
        }
        List<ConversationUpdated> conversations = ConversationStore.recompute(c, affected, mergedInto,
                organisationIds);
        steps.done("conversations");
        Outcome outcome = new Outcome(threaded(batch, resolved), conversations, relationshipUpdates,
                batch.fresh.size(), batch.duplicates);
        steps.done("outcome");
        return outcome;
    }

    /**
     * Sets the authors of the posts the batch's new mentions quote, repost or answer (when the platform did not say)
     * where those posts are stored or in the batch.
     */
    private static void resolveFreshAuthors(Connection c, Map<String, MentionRow> fresh) throws SQLException {
        Set<String> wanted = new LinkedHashSet<>();
        for (MentionRow r : fresh.values()) {
            for (String target : r.unresolvedTargets()) {
                if (!fresh.containsKey(target)) {
                    wanted.add(target);
                }
            }
        }
        Map<String, String> authors = MentionStore.authorsOf(c, wanted);
        for (MentionRow r : fresh.values()) {
            r.resolveAuthors(id -> {
                MentionRow inBatch = fresh.get(id);
                return inBatch != null ? inBatch.authorId : authors.get(id);
            });
        }
    }

    /** The batch's posts as published, and again the stored ones whose relationships just became known. */
    private static List<MentionThreaded> threaded(ThreadRules.Batch batch, List<MentionRow> resolved) {
        Map<String, MentionRow> published = new LinkedHashMap<>(batch.rows);
        for (MentionRow r : resolved) {
            MentionRow inBatch = published.get(r.id);
            if (inBatch == null) {
                r.conversationId = ThreadRules.finalTarget(r.conversationId, batch.moves);
                published.put(r.id, r);
            } else {
                inBatch.quoteAuthorId = r.quoteAuthorId;
                inBatch.repostAuthorId = r.repostAuthorId;
                inBatch.replyToAuthorId = r.replyToAuthorId;
                inBatch.version = r.version;
            }
        }
        List<MentionThreaded> threaded = new ArrayList<>(published.size());
        for (MentionRow r : published.values()) {
            List<MentionThreaded.Target> targets = new ArrayList<>();
            if (!r.deleted) {
                for (Relationships.Key k : r.relationships()) {
                    targets.add(new MentionThreaded.Target(k.type(), k.target()));
                }
            }
            threaded.add(new MentionThreaded(r.conversationId, r.deleted, r.edited, r.lang, r.langDetected,
                    r.deleted ? List.of() : r.hashtags, r.deleted ? List.of() : r.links, targets, r.createdAt,
                    r.version, r.payload));
        }
        return threaded;
    }
}
