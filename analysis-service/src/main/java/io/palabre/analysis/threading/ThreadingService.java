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
import java.util.TreeSet;
import java.util.HashSet;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.palabre.analysis.domain.ConversationUpdated;
import io.palabre.analysis.domain.MentionCaptured;
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

    /** Taken shared by the work of some partitions, exclusive by work that crosses partitions. */
    private static final long THREADING_LOCK = 0x70616c6162726531L;

    /** The first key of each partition's lock (the second is the partition). */
    private static final int PARTITION_LOCKS = 0x70616c61;

    private final AgroalDataSource dataSource;
    private final OrganisationAccounts organisations;
    private final ThreadRules rules;
    private final MeterRegistry registry;
    private final Map<String, Timer> stepTimers = new java.util.concurrent.ConcurrentHashMap<>();
    private final ConversationStore conversations;
    private final Counter threadedInPartition;
    private final Counter threadedAcross;

    public ThreadingService(AgroalDataSource dataSource, ObjectMapper mapper, OrganisationAccounts organisations,
            MeterRegistry registry,
            @ConfigProperty(name = "palabre.analysis.shape-cache.mentions", defaultValue = "300000") int cached) {
        this.dataSource = dataSource;
        this.organisations = organisations;
        this.rules = new ThreadRules(mapper);
        this.registry = registry;
        this.threadedInPartition = Counter.builder("palabre.analysis.threading.records")
                .description("Records threaded by the transaction of their partition, or by the one that runs alone")
                .tag("transaction", "partition").register(registry);
        this.threadedAcross = Counter.builder("palabre.analysis.threading.records")
                .description("Records threaded by the transaction of their partition, or by the one that runs alone")
                .tag("transaction", "cross").register(registry);
        ShapeCache cache = new ShapeCache(cached);
        this.conversations = new ConversationStore(cache);
        FunctionCounter.builder("palabre.analysis.shape.cache", cache, ShapeCache::hits)
                .description("Conversations updated from their cached shape").tag("result", "hit").register(registry);
        FunctionCounter.builder("palabre.analysis.shape.cache", cache, ShapeCache::misses)
                .description("Conversations read again from their mentions").tag("result", "miss")
                .register(registry);
    }

    /**
     * The time of each step of a batch, as timer {@code palabre.analysis.threading.step} tagged with the step: where
     * a batch spends its time, in the metrics of a running service.
     */
    private final class Steps {
        private final String transaction;
        private long mark = System.nanoTime();

        /** Steps of a transaction: "" for the partition's own work, "cross: " for the work that crosses partitions. */
        Steps(String transaction) {
            this.transaction = transaction;
        }

        void done(String step) {
            long now = System.nanoTime();
            stepTimers.computeIfAbsent(transaction + step, name -> Timer.builder("palabre.analysis.threading.step")
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

    /**
     * Applies the batch and returns what to publish, in two transactions. The first, which batches of other
     * partitions run at the same time, stores what its partition owns: posts that state their root or answer nothing,
     * keyed by that conversation, and replies routed to the conversation of their stored parent. The second, one at
     * a time across all replicas, does what crosses partitions: replies that name only their parent (not routed, or
     * whose route no longer holds), versions and deletes, and for every post of the batch the merges and the authors
     * that other posts waited for (docs/architecture.md, "Threading without a global lock").
     */
    public Outcome apply(List<ReceivedMention> batch) throws SQLException {
        List<ReceivedMention> local = new ArrayList<>();
        List<ReceivedMention> cross = new ArrayList<>();
        Set<String> crossIds = new HashSet<>();
        for (ReceivedMention in : batch) {
            MentionCaptured m = in.mention();
            if (!in.ownedByItsPartition() || m.isDelete() || m.isEdit()) {
                crossIds.add(m.id());
            }
        }
        for (ReceivedMention in : batch) {
            (crossIds.contains(in.mention().id()) ? cross : local).add(in);
        }
        Set<Integer> partitions = new TreeSet<>();
        local.forEach(in -> partitions.add(in.partition()));
        Local first = local.isEmpty() ? new Local(new ThreadRules.Batch(), List.of(), List.of(), List.of())
                : inTransaction(Lock.partitions(partitions), (c, steps) -> applyLocal(c, local, steps));
        cross.addAll(first.deferred());
        Outcome outcome = inTransaction(Lock.EXCLUSIVE, (c, steps) -> applyCross(c, cross, first, steps));
        threadedInPartition.increment(local.size() - first.deferred().size());
        threadedAcross.increment(cross.size());
        return outcome;
    }

    /**
     * The live conversation of each of these posts that is stored, read without any lock: where replies that name
     * only these parents may be routed. A hint, checked again when the routed reply is threaded.
     */
    public Map<String, String> storedConversations(Set<String> postIds) throws SQLException {
        if (postIds.isEmpty()) {
            return Map.of();
        }
        try (Connection c = dataSource.getConnection()) {
            return MentionStore.conversationsOf(c, postIds);
        }
    }

    /**
     * Applies what one listening query says of the organisation's accounts in threading's order (alone, so that no
     * batch in flight misses the change) and returns the conversations those accounts wrote in, recomputed (their
     * {@code organisationTookPart} may change).
     */
    public List<ConversationUpdated> applyQuery(String queryId, ListeningQueryChanged query) throws SQLException {
        try {
            return inTransaction(Lock.EXCLUSIVE, (c, steps) -> {
                Set<String> changed = organisations.apply(c, queryId, query);
                if (changed.isEmpty()) {
                    return List.of();
                }
                return conversations.update(c, Map.of(), MentionStore.conversationsBy(c, changed), Map.of(),
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
     * The locks a transaction on the thread tables takes first. Every transaction takes the threading lock: shared
     * for the work of some partitions, with an exclusive lock per partition (a consumer that lost a partition in a
     * rebalance and still finishes a batch of it waits for, or is waited for by, the new owner); exclusive for work
     * that crosses partitions, which then runs alone.
     */
    private record Lock(boolean exclusive, Set<Integer> partitions) {

        static final Lock EXCLUSIVE = new Lock(true, Set.of());

        static Lock partitions(Set<Integer> partitions) {
            return new Lock(false, partitions);
        }

        void take(Connection c) throws SQLException {
            try (Statement s = c.createStatement()) {
                if (exclusive) {
                    s.execute("select pg_advisory_xact_lock(" + THREADING_LOCK + ")");
                    return;
                }
                s.execute("select pg_advisory_xact_lock_shared(" + THREADING_LOCK + ")");
                for (int partition : partitions) { // sorted: two batches wait in the same order
                    s.execute("select pg_advisory_xact_lock(" + PARTITION_LOCKS + ", " + partition + ")");
                }
            }
        }
    }

    /** Runs the work in one transaction that first takes these locks. */
    private <T> T inTransaction(Lock lock, ThreadWork<T> work) throws SQLException {
        String transaction = lock.exclusive() ? "cross: " : "";
        Steps steps = new Steps(transaction);
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                lock.take(c);
                steps.done("lock");
                T result = work.run(c, new Steps(transaction));
                Steps commit = new Steps(transaction);
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

    /** What the first transaction did, and the records it left to the second. */
    private record Local(ThreadRules.Batch batch, List<RelationshipUpdated> relationships,
            List<ConversationUpdated> conversations, List<ReceivedMention> deferred) {
    }

    /**
     * The first transaction: new posts of conversations this batch's partitions own, and posts received again
     * unchanged. A record that turns out to change a stored post, or to belong to a conversation other than the one
     * its key names, is left to the second transaction.
     */
    private Local applyLocal(Connection c, List<ReceivedMention> received, Steps steps) throws SQLException {
        List<ReceivedMention> kept = received;
        List<ReceivedMention> deferred = new ArrayList<>();
        while (true) {
            ThreadRules.Batch batch = receive(c, kept, steps);
            Map<String, String> statedRoots = statedRoots(c, batch);
            steps.done("stated roots");
            // Replies routed to their parent's conversation: the parent is stored, and no second transaction runs
            // beside this one, so the conversation read here is the parent's until this one commits.
            Set<String> routedParents = new HashSet<>();
            batch.fresh.values().stream().filter(r -> answersOnlyAParentOutsideTheBatch(r, batch))
                    .forEach(r -> routedParents.add(r.replyToId));
            Map<String, String> parentConversations = routedParents.isEmpty() ? Map.of()
                    : MentionStore.conversationsOf(c, routedParents);
            steps.done("parents");
            ThreadRules.thread(batch, parentConversations, statedRoots);
            // Left to the second transaction with the versions and deletes: posts that change a stored one, a new
            // post whose delete came first (stored deleted), and any post whose conversation is not the one its key
            // names (its stated root answers another post, or it was stored in a fragment merged since): that
            // conversation may belong to another partition.
            Map<String, String> keys = new HashMap<>();
            kept.forEach(in -> keys.put(in.mention().id(), in.key()));
            Set<String> leave = new HashSet<>();
            batch.fresh.values().stream().filter(r -> r.deleted).forEach(r -> leave.add(r.id));
            batch.changed().forEach(r -> leave.add(r.id));
            batch.rows.values().stream().filter(r -> !r.conversationId.equals(keys.get(r.id)))
                    .forEach(r -> leave.add(r.id));
            // A routed reply whose parent is not stored (never the case when it was routed) would name a fragment
            // after it: only the second transaction does that.
            batch.fresh.values().stream().filter(r -> answersOnlyAParentOutsideTheBatch(r, batch)
                    && !parentConversations.containsKey(r.replyToId)).forEach(r -> leave.add(r.id));
            if (leave.isEmpty()) {
                return storeLocal(c, batch, kept, deferred, steps);
            }
            List<ReceivedMention> next = new ArrayList<>();
            for (ReceivedMention in : kept) {
                (leave.contains(in.mention().id()) ? deferred : next).add(in);
            }
            kept = next;
        }
    }

    /** A new post that names only its parent, a post the batch does not bring. */
    private static boolean answersOnlyAParentOutsideTheBatch(MentionRow r, ThreadRules.Batch batch) {
        return r.statedConversationId == null && r.replyToId != null && !batch.fresh.containsKey(r.replyToId);
    }

    private Local storeLocal(Connection c, ThreadRules.Batch batch, List<ReceivedMention> received,
            List<ReceivedMention> deferred, Steps steps) throws SQLException {
        Set<String> organisationIds = organisations.ids();
        resolveFreshAuthors(c, batch.fresh);
        steps.done("authors");
        MentionStore.insert(c, batch.fresh.values());
        steps.done("insert");
        AccountStore.upsert(c, received.stream().map(ReceivedMention::mention).filter(m -> !m.isDelete()).toList());
        steps.done("accounts");
        batch.countFresh();
        List<RelationshipUpdated> relationshipUpdates = batch.relationships.write(c);
        steps.done("relationships");
        List<ConversationUpdated> conversationUpdates = conversations.update(c, appended(batch), Set.of(),
                Map.of(), organisationIds, steps::done);
        return new Local(batch, relationshipUpdates, conversationUpdates, deferred);
    }

    /** Reads what is stored of the records' posts and applies the records to it ({@link ThreadRules#receive}). */
    private ThreadRules.Batch receive(Connection c, List<ReceivedMention> received, Steps steps) throws SQLException {
        Set<String> ids = new LinkedHashSet<>();
        received.forEach(in -> ids.add(in.mention().id()));
        Map<String, MentionRow> stored = MentionStore.load(c, ids);
        Set<String> tombstoned = MentionStore.tombstoned(c, ids);
        steps.done("load");
        ThreadRules.Batch batch = rules.receive(received, stored, tombstoned);
        steps.done("versions");
        return batch;
    }

    /**
     * The stated roots of the batch's new posts that are stored posts in another conversation (a root that itself
     * answers a post, or was merged since): the live conversation of each.
     */
    private static Map<String, String> statedRoots(Connection c, ThreadRules.Batch batch) throws SQLException {
        Map<String, String> roots = MentionStore.conversationsOf(c, batch.statedConversations());
        roots.entrySet().removeIf(e -> e.getKey().equals(e.getValue()));
        return roots;
    }

    /** The batch's posts by conversation: new ones to add to it; others only to publish it again. */
    private static Map<String, List<MentionRow>> appended(ThreadRules.Batch batch) {
        Map<String, List<MentionRow>> appended = new LinkedHashMap<>();
        for (MentionRow r : batch.rows.values()) {
            List<MentionRow> added = appended.computeIfAbsent(r.conversationId, k -> new ArrayList<>());
            if (r.fresh) {
                added.add(r);
            }
        }
        return appended;
    }

    /**
     * The second transaction: the records that cross partitions, threaded in full; then, for every post of the batch
     * (the first transaction's too, new or received again), the merges of the fragments named after it and the
     * authors that other posts waited for. Running alone, it sees every first transaction that ran at the same time
     * as this batch's, so nothing that one missed of the other is missed here.
     */
    private Outcome applyCross(Connection c, List<ReceivedMention> received, Local first, Steps steps)
            throws SQLException {
        ThreadRules.Batch batch = receive(c, received, steps);
        Map<String, String> parentConversations = MentionStore.conversationsOf(c, batch.missingParents());
        steps.done("parents");
        Map<String, String> statedRoots = statedRoots(c, batch);
        steps.done("stated roots");
        ThreadRules.thread(batch, parentConversations, statedRoots);
        // The first transaction's posts may be the missing link of fragments too; their conversations may have been
        // merged since by another batch.
        Map<String, MentionRow> firstRows = first.batch().rows;
        Map<String, String> live = MentionStore.mergedInto(c, new HashSet<>(
                firstRows.values().stream().map(r -> r.conversationId).toList()));
        Map<String, String> moves = new LinkedHashMap<>();
        for (MentionRow r : firstRows.values()) {
            String conversation = live.getOrDefault(r.conversationId, r.conversationId);
            r.conversationId = conversation;
            if (!conversation.equals(r.id)) {
                moves.put(r.id, conversation);
            }
        }
        moves.putAll(batch.moves);
        moves.replaceAll((from, to) -> ThreadRules.finalTarget(to, moves));
        for (MentionRow r : batch.rows.values()) {
            r.conversationId = ThreadRules.finalTarget(r.conversationId, moves);
        }

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
        // Posts received again are named too: the batch that stored them may have died before this step.
        Map<String, MentionRow> known = new LinkedHashMap<>(firstRows);
        known.putAll(batch.rows);
        List<MentionRow> resolved = ThreadRules.resolvePending(MentionStore.waitingForAuthors(c, known.keySet()),
                batch, known);
        MentionStore.saveAuthors(c, resolved);
        MentionStore.recordResolutions(c, resolved, known.keySet());
        // What the batch that first brought a post received again resolved: that batch may have died before it
        // published those posts and their relationships.
        Set<String> receivedAgain = new LinkedHashSet<>();
        known.values().stream().filter(r -> !r.fresh).forEach(r -> receivedAgain.add(r.id));
        Set<String> resolvedNow = new HashSet<>();
        resolved.forEach(r -> resolvedNow.add(r.id));
        for (MentionRow r : MentionStore.resolvedBy(c, receivedAgain)) {
            if (!known.containsKey(r.id) && resolvedNow.add(r.id)) {
                resolved.add(r);
                if (!r.deleted) {
                    batch.relationships.republish(r.relationships());
                }
            }
        }
        steps.done("pending authors");
        List<RelationshipUpdated> relationshipUpdates = new ArrayList<>(first.relationships());
        relationshipUpdates.addAll(batch.relationships.write(c));
        steps.done("relationships");
        Map<String, String> waitedFor = MentionStore.waitedFor(c, moves);
        steps.done("merges: find");
        List<String> mergedAway = MentionStore.mergeConversations(c, waitedFor);
        steps.done("merges: record");

        // New posts are added to their conversation's shape; a conversation that fragments joined, or whose stored
        // posts changed (a post's time or language may have), is read again; one that the batch only brought again
        // (a replay) is published again as it is.
        Map<String, List<MentionRow>> appended = appended(batch);
        Set<String> reread = new LinkedHashSet<>();
        changed.forEach(r -> reread.add(r.conversationId));
        Map<String, List<String>> mergedInto = new HashMap<>();
        for (String old : mergedAway) {
            String into = moves.get(old);
            reread.add(into);
            mergedInto.computeIfAbsent(into, k -> new ArrayList<>()).add(old);
        }
        List<ConversationUpdated> conversationUpdates = new ArrayList<>();
        Set<String> gone = new HashSet<>(mergedAway);
        for (ConversationUpdated u : first.conversations()) {
            if (!gone.contains(u.id()) && !reread.contains(u.id()) && !appended.containsKey(u.id())) {
                conversationUpdates.add(u);
            }
        }
        conversationUpdates.addAll(conversations.update(c, appended, reread, mergedInto, organisationIds,
                steps::done));
        Map<String, MentionRow> published = new LinkedHashMap<>(firstRows);
        published.putAll(batch.rows);
        Outcome outcome = new Outcome(threaded(published, resolved, moves), conversationUpdates,
                relationshipUpdates, first.batch().fresh.size() + batch.fresh.size(),
                first.batch().duplicates + batch.duplicates);
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
    private static List<MentionThreaded> threaded(Map<String, MentionRow> published, List<MentionRow> resolved,
            Map<String, String> moves) {
        for (MentionRow r : resolved) {
            MentionRow inBatch = published.get(r.id);
            if (inBatch == null) {
                r.conversationId = ThreadRules.finalTarget(r.conversationId, moves);
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
            threaded.add(new MentionThreaded(r.id, r.conversationId, r.deleted, r.edited, r.lang, r.langDetected,
                    r.deleted ? List.of() : r.hashtags, r.deleted ? List.of() : r.links, targets, r.createdAt,
                    r.version, r.payload));
        }
        return threaded;
    }
}
