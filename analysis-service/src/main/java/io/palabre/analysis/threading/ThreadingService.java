package io.palabre.analysis.service;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.agroal.api.AgroalDataSource;
import io.palabre.analysis.domain.ConversationUpdated;
import io.palabre.analysis.domain.ListeningQueryChanged;
import io.palabre.analysis.domain.MentionCaptured;
import io.palabre.analysis.domain.MentionThreaded;
import io.palabre.analysis.domain.RelationshipUpdated;
import io.palabre.analysis.text.Normalized;
import io.palabre.analysis.text.TextLanguage;

/**
 * Stores a batch of mentions idempotently and assigns each to its conversation, in one transaction.
 *
 * <p>A mention's conversation is the root the platform states; else its parent's conversation when the parent is
 * stored; else, while the parent is missing, the parent's id. When a mention arrives, every stored mention whose
 * conversation is that mention's id moves to the new mention's conversation: so a reply that came before its parent
 * joins it when the parent comes, and two fragments merge when the missing link shows up. The result does not
 * depend on arrival order.
 */
@ApplicationScoped
public class ThreadingService {

    /** Serialises the writers of the thread tables: merges must see every committed mention. */
    private static final long THREADING_LOCK = 0x70616c6162726531L;

    private final AgroalDataSource dataSource;
    private final ObjectMapper mapper;
    private final OrganisationAccounts organisations;
    private final TextLanguage language = new TextLanguage();

    public ThreadingService(AgroalDataSource dataSource, ObjectMapper mapper, OrganisationAccounts organisations) {
        this.dataSource = dataSource;
        this.mapper = mapper;
        this.organisations = organisations;
    }

    /** One event read from {@code mentions}, with its JSON as received and where it was read. */
    public record ReceivedMention(MentionCaptured mention, String json, String origin) {
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
        return locked(c -> apply(c, batch));
    }

    /** Work on the thread tables, inside a transaction. */
    @FunctionalInterface
    private interface ThreadWork<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs the work in one transaction holding the threading lock, which serialises the writers of the thread
     * tables: merges must see every committed mention.
     */
    private <T> T locked(ThreadWork<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                try (Statement s = c.createStatement()) {
                    s.execute("select pg_advisory_xact_lock(" + THREADING_LOCK + ")");
                }
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
    }

    private Outcome apply(Connection c, List<ReceivedMention> batch) throws SQLException {
        Map<String, List<ReceivedMention>> byId = new LinkedHashMap<>();
        for (ReceivedMention in : batch) {
            byId.computeIfAbsent(in.mention().id(), k -> new ArrayList<>()).add(in);
        }
        Map<String, Row> stored = loadRows(c, byId.keySet());
        Set<String> tombstoned = loadIds(c, "select id from mention_tombstone where id = any(?)", byId.keySet());

        Map<String, Row> rows = new LinkedHashMap<>();
        Map<String, Instant> newTombstones = new LinkedHashMap<>();
        Relationships relationships = new Relationships();
        int duplicates = 0;
        for (Map.Entry<String, List<ReceivedMention>> entry : byId.entrySet()) {
            String id = entry.getKey();
            Row row = stored.get(id);
            boolean deletedEarlier = tombstoned.contains(id);
            for (ReceivedMention in : entry.getValue()) {
                MentionCaptured m = in.mention();
                if (m.isDelete()) {
                    if (row == null) {
                        deletedEarlier = true;
                        newTombstones.putIfAbsent(id, m.createdAt());
                    } else if (!row.deleted) {
                        row.deleted = true;
                        row.payload = withoutContent(row.payload);
                        row.changed = true;
                        relationships.recount(row.relationships());
                    } else {
                        relationships.republish(row.relationships());
                    }
                } else if (row == null) {
                    row = Row.created(m, in.json());
                    derive(row, m);
                    if (deletedEarlier) {
                        row.deleted = true;
                        row.payload = withoutContent(row.payload);
                    }
                } else if (!receiveVersion(row, m, in.json(), relationships)) {
                    duplicates++;
                    if (!row.fresh) {
                        // A replay after a crash: what the first attempt published may have been lost.
                        relationships.republish(row.relationships());
                    }
                }
            }
            if (row != null) {
                rows.put(id, row);
            }
        }

        Map<String, Row> fresh = new LinkedHashMap<>();
        rows.values().stream().filter(r -> r.fresh).forEach(r -> fresh.put(r.id, r));
        Set<String> missingParents = new HashSet<>();
        for (Row r : fresh.values()) {
            if (r.mention.replyTo() != null && !fresh.containsKey(r.mention.replyTo().id())) {
                missingParents.add(r.mention.replyTo().id());
            }
        }
        Map<String, String> parentConversations = loadConversationsOf(c, missingParents);
        for (Row r : fresh.values()) {
            resolve(r, fresh, parentConversations, new HashSet<>());
        }

        // A fresh mention that is not its own root may be the missing link other mentions waited for.
        Map<String, String> moves = new LinkedHashMap<>();
        for (Row r : fresh.values()) {
            if (!r.conversationId.equals(r.id)) {
                moves.put(r.id, r.conversationId);
            }
        }
        moves.replaceAll((from, to) -> finalTarget(to, moves));
        for (Row r : rows.values()) {
            r.conversationId = finalTarget(r.conversationId, moves);
        }

        Set<String> organisationIds = organisations.ids();
        resolveFreshAuthors(c, fresh);
        insertRows(c, fresh.values());
        updateRows(c, rows.values().stream().filter(r -> r.changed && !r.fresh).toList());
        insertTombstones(c, newTombstones);
        // Accounts are a commutative summary of every version received (duplicates and edits too), so that
        // they do not depend on which version came first.
        upsertAccounts(c, batch.stream().map(ReceivedMention::mention).filter(m -> !m.isDelete()).toList());
        for (Row r : fresh.values()) {
            if (!r.deleted) {
                for (Relationships.Key k : r.relationships()) {
                    relationships.add(k, r.createdAt);
                }
            }
        }
        List<Row> resolved = resolvePendingAuthors(c, fresh, relationships);
        recordOrganisationInteractions(c, organisationIds, fresh.values(), resolved,
                rows.values().stream().filter(r -> r.changed && !r.fresh).toList());
        List<RelationshipUpdated> relationshipUpdates = relationships.write(c);
        List<String> mergedAway = moveConversations(c, moves);

        Set<String> affected = new LinkedHashSet<>();
        rows.values().forEach(r -> affected.add(r.conversationId));
        Map<String, List<String>> mergedInto = new HashMap<>();
        for (String old : mergedAway) {
            String into = moves.get(old);
            affected.add(into);
            mergedInto.computeIfAbsent(into, k -> new ArrayList<>()).add(old);
        }
        List<ConversationUpdated> conversations = recompute(c, affected, mergedInto, organisationIds);

        // Mentions whose relationships just became known are published again, with their targets.
        Map<String, Row> published = new LinkedHashMap<>(rows);
        for (Row r : resolved) {
            Row inBatch = published.get(r.id);
            if (inBatch == null) {
                r.conversationId = finalTarget(r.conversationId, moves);
                published.put(r.id, r);
            } else {
                inBatch.quoteAuthorId = r.quoteAuthorId;
                inBatch.repostAuthorId = r.repostAuthorId;
                inBatch.replyToAuthorId = r.replyToAuthorId;
                inBatch.version = r.version;
            }
        }
        List<MentionThreaded> threaded = new ArrayList<>(published.size());
        for (Row r : published.values()) {
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
        return new Outcome(threaded, conversations, relationshipUpdates, fresh.size(), duplicates);
    }

    /**
     * Applies what one listening query says of the organisation's accounts in threading's order (under its lock, so
     * that no batch in flight misses the change) and returns the conversations those accounts wrote in, recomputed
     * (their {@code organisationTookPart} may change).
     */
    public List<ConversationUpdated> applyQuery(String queryId, ListeningQueryChanged query) throws SQLException {
        try {
            return locked(c -> {
                Set<String> changed = organisations.apply(c, queryId, query);
                if (changed.isEmpty()) {
                    return List.of();
                }
                Set<String> conversations = new LinkedHashSet<>();
                try (PreparedStatement ps = c.prepareStatement(
                        "select distinct conversation_id from mention where author_id = any(?)")) {
                    ps.setArray(1, textArray(c, changed));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            conversations.add(rs.getString(1));
                        }
                    }
                }
                return recompute(c, conversations, Map.of(), organisations.ids());
            });
        } catch (SQLException | RuntimeException e) {
            organisations.forget();
            throw e;
        }
    }

    /** Normalised hashtags, links and named accounts, and the language when the platform gave none. */
    private void derive(Row r, MentionCaptured m) {
        r.hashtags = Normalized.hashtags(m.hashtags());
        r.links = Normalized.links(m.links());
        Set<String> named = new LinkedHashSet<>();
        if (m.mentions() != null) {
            for (MentionCaptured.MentionedAccount a : m.mentions()) {
                if (a.id() != null && !a.id().equals(m.author().id())
                        && (m.replyTo() == null || !a.id().equals(m.replyTo().authorId()))) {
                    named.add(a.id());
                }
            }
        }
        r.mentioned = new ArrayList<>(named);
        if (m.lang() != null && !m.lang().isBlank()) {
            r.lang = m.lang();
            r.langDetected = false;
        } else {
            r.lang = "repost".equals(m.kind()) ? null : language.detect(m.text());
            r.langDetected = r.lang != null;
        }
    }

    /**
     * Applies another version of a stored post (the original, an edit, or the same again), whatever order they
     * arrive in: the post's time is the earliest version's (the original's, once it has come); its content is the
     * newest version's by the platform's time ({@link PostVersions#isNewer}); it is edited once any edit has come; a
     * deleted post stays deleted. Returns whether the row changed.
     */
    private boolean receiveVersion(Row row, MentionCaptured m, String json, Relationships relationships) {
        boolean changed = false;
        if (m.createdAt().isBefore(row.createdAt)) {
            row.createdAt = m.createdAt();
            relationships.recount(row.relationships());
            changed = true;
        }
        if (m.isEdit() && !row.edited) {
            row.edited = true;
            changed = true;
        }
        String stored = row.payload;
        if (!row.deleted && PostVersions.isNewer(m.createdAt(), m.isEdit(), json, row.versionAt,
                () -> PostVersions.isEdit(mapper, stored), stored)) {
            relationships.recount(row.relationships());
            row.payload = json;
            row.versionAt = m.createdAt();
            derive(row, m);
            relationships.recount(row.relationships());
            row.reinterpreted = true;
            changed = true;
        }
        row.changed |= changed;
        return changed;
    }

    /**
     * Sets the authors of the posts the batch's new mentions quote, repost or answer (when the platform did not say)
     * where those posts are stored or in the batch.
     */
    private static void resolveFreshAuthors(Connection c, Map<String, Row> fresh) throws SQLException {
        Set<String> wanted = new HashSet<>();
        for (Row r : fresh.values()) {
            for (String target : r.unresolvedTargets()) {
                if (!fresh.containsKey(target)) {
                    wanted.add(target);
                }
            }
        }
        Map<String, String> authors = new HashMap<>();
        if (!wanted.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("select id, author_id from mention where id = any(?)")) {
                ps.setArray(1, textArray(c, wanted));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        authors.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
        }
        for (Row r : fresh.values()) {
            r.resolveAuthors(id -> {
                Row inBatch = fresh.get(id);
                return inBatch != null ? inBatch.authorId : authors.get(id);
            });
        }
    }

    /**
     * Stored mentions that were waiting for one of the batch's new posts to learn whom they quote, repost or answer:
     * sets those authors and adds the relationships they reveal. Returns the rows resolved.
     */
    private static List<Row> resolvePendingAuthors(Connection c, Map<String, Row> fresh, Relationships relationships)
            throws SQLException {
        List<Row> resolved = new ArrayList<>();
        if (fresh.isEmpty()) {
            return resolved;
        }
        Array ids = textArray(c, fresh.keySet());
        try (PreparedStatement ps = c.prepareStatement("select " + Row.STORED_COLUMNS + " from mention where "
                + "(quote_of = any(?) and quote_author_id is null and quote_of is not null) or (repost_of = any(?) and "
                + "repost_author_id is null and repost_of is not null) or (reply_to_id = any(?) and "
                + "reply_to_author_id is null and reply_to_id is not null)")) {
            ps.setArray(1, ids);
            ps.setArray(2, ids);
            ps.setArray(3, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (fresh.containsKey(rs.getString(1))) {
                        continue; // resolved before its insert
                    }
                    Row r = Row.stored(rs);
                    List<Relationships.Key> before = r.relationships();
                    r.resolveAuthors(id -> {
                        Row target = fresh.get(id);
                        return target == null ? null : target.authorId;
                    });
                    if (!r.deleted) {
                        List<Relationships.Key> after = new ArrayList<>(r.relationships());
                        after.removeAll(before);
                        after.forEach(k -> relationships.add(k, r.createdAt));
                    }
                    resolved.add(r);
                }
            }
        }
        if (!resolved.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("update mention set quote_author_id = ?, "
                    + "repost_author_id = ?, reply_to_author_id = ?, version = version + 1 where id = ?")) {
                for (Row r : resolved) {
                    ps.setString(1, r.quoteAuthorId);
                    ps.setString(2, r.repostAuthorId);
                    ps.setString(3, r.replyToAuthorId);
                    ps.setString(4, r.id);
                    ps.addBatch();
                    r.version++;
                }
                ps.executeBatch();
            }
        }
        return resolved;
    }

    /**
     * Remembers which mentions interact with an organisation account, so that dialogue metrics find them without
     * scanning every mention; the calculator checks each one again. A stored mention that changed (another version,
     * an earlier time, a delete) is remembered anew from what it now is.
     */
    private static void recordOrganisationInteractions(Connection c, Set<String> organisationIds,
            Collection<Row> fresh, Collection<Row> resolved, Collection<Row> changed) throws SQLException {
        if (organisationIds.isEmpty()) {
            return;
        }
        if (!changed.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "delete from organisation_interaction where mention_id = any(?)")) {
                ps.setArray(1, textArray(c, changed.stream().map(r -> r.id).toList()));
                ps.executeUpdate();
            }
        }
        Map<String, Set<String>> byMention = new LinkedHashMap<>();
        Map<String, Instant> createdAt = new HashMap<>();
        for (Collection<Row> rows : List.of(fresh, resolved, changed)) {
            for (Row r : rows) {
                for (Relationships.Key k : r.relationships()) {
                    if (organisationIds.contains(k.target())) {
                        byMention.computeIfAbsent(r.id, id -> new LinkedHashSet<>()).add(k.target());
                        createdAt.put(r.id, r.createdAt);
                    }
                }
            }
        }
        if (byMention.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("insert into organisation_interaction (account_id, "
                + "mention_id, created_at) values (?, ?, ?) on conflict (account_id, mention_id) do update set "
                + "created_at = excluded.created_at")) {
            for (Map.Entry<String, Set<String>> e : byMention.entrySet()) {
                for (String account : e.getValue()) {
                    ps.setString(1, account);
                    ps.setString(2, e.getKey());
                    ps.setTimestamp(3, Timestamp.from(createdAt.get(e.getKey())));
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
    }

    private static String resolve(Row r, Map<String, Row> fresh, Map<String, String> parentConversations,
            Set<String> visiting) {
        if (r.conversationId != null) {
            return r.conversationId;
        }
        MentionCaptured m = r.mention;
        String conversation;
        if (m.conversationId() != null) {
            conversation = m.conversationId();
        } else if (m.replyTo() == null) {
            conversation = m.id();
        } else {
            String parentId = m.replyTo().id();
            Row parent = fresh.get(parentId);
            if (parent != null && visiting.add(r.id)) {
                conversation = resolve(parent, fresh, parentConversations, visiting);
            } else if (parent != null) {
                conversation = parentId; // a reply cycle: stop at the parent
            } else {
                conversation = parentConversations.getOrDefault(parentId, parentId);
            }
        }
        r.conversationId = conversation;
        return conversation;
    }

    private static String finalTarget(String id, Map<String, String> moves) {
        String current = id;
        for (int hops = 0; hops < 10_000 && moves.containsKey(current); hops++) {
            String next = moves.get(current);
            if (next.equals(current)) {
                break;
            }
            current = next;
        }
        return current;
    }

    private Map<String, Row> loadRows(Connection c, Set<String> ids) throws SQLException {
        Map<String, Row> rows = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "select " + Row.STORED_COLUMNS + " from mention where id = any(?)")) {
            ps.setArray(1, textArray(c, ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Row r = Row.stored(rs);
                    rows.put(r.id, r);
                }
            }
        }
        return rows;
    }

    private static Set<String> loadIds(Connection c, String sql, Collection<String> ids) throws SQLException {
        Set<String> found = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, textArray(c, ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getString(1));
                }
            }
        }
        return found;
    }

    private static Map<String, String> loadConversationsOf(Connection c, Set<String> ids) throws SQLException {
        Map<String, String> conversations = new HashMap<>();
        if (ids.isEmpty()) {
            return conversations;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "select id, conversation_id from mention where id = any(?)")) {
            ps.setArray(1, textArray(c, ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    conversations.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return conversations;
    }

    /**
     * Inserts the batch's new mentions with COPY: under the threading lock they cannot exist yet, and COPY is several
     * times faster than batched inserts.
     */
    private static void insertRows(Connection c, Collection<Row> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        CopyText copy = new CopyText(rows.size() * 1200);
        for (Row r : rows) {
            MentionCaptured m = r.mention;
            copy.text(r.id).text(m.platform()).text(r.kind).text(r.createdAt.toString()).text(r.authorId)
                    .text(r.lang).text(r.replyToId).text(r.replyToAuthorId).text(m.conversationId())
                    .text(r.conversationId).text(r.quoteOf).text(r.repostOf).bool(r.deleted).bool(r.edited)
                    .text(r.payload).array(r.mentioned).array(r.hashtags).array(r.links).bool(r.langDetected)
                    .text(r.quoteAuthorId).text(r.repostAuthorId).text(r.versionAt.toString())
                    .last(Long.toString(r.version));
        }
        try {
            c.unwrap(org.postgresql.PGConnection.class).getCopyAPI().copyIn("copy mention (id, platform, kind, "
                    + "created_at, author_id, lang, reply_to_id, reply_to_author_id, stated_conversation_id, "
                    + "conversation_id, quote_of, repost_of, deleted, edited, payload, mentioned_ids, hashtags, links, "
                    + "lang_detected, quote_author_id, repost_author_id, version_at, version) from stdin", copy.reader());
        } catch (java.io.IOException e) {
            throw new SQLException("COPY into mention failed", "58030", e);
        }
    }

    private static void updateRows(Connection c, List<Row> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "update mention set payload = ?, deleted = ?, edited = ?, mentioned_ids = ?, hashtags = ?, "
                        + "links = ?, lang = ?, lang_detected = ?, created_at = ?, version_at = ?, "
                        + "version = version + 1 where id = ?")) {
            for (Row r : rows) {
                ps.setString(1, r.payload);
                ps.setBoolean(2, r.deleted);
                ps.setBoolean(3, r.edited);
                ps.setArray(4, textArray(c, r.mentioned));
                ps.setArray(5, textArray(c, r.hashtags));
                ps.setArray(6, textArray(c, r.links));
                ps.setString(7, r.lang);
                ps.setBoolean(8, r.langDetected);
                ps.setTimestamp(9, Timestamp.from(r.createdAt));
                ps.setTimestamp(10, Timestamp.from(r.versionAt));
                ps.setString(11, r.id);
                ps.addBatch();
                r.version++;
            }
            ps.executeBatch();
        }
    }

    private static void insertTombstones(Connection c, Map<String, Instant> tombstones) throws SQLException {
        if (tombstones.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "insert into mention_tombstone (id, deleted_at) values (?, ?) on conflict (id) do nothing")) {
            for (Map.Entry<String, Instant> t : tombstones.entrySet()) {
                ps.setString(1, t.getKey());
                ps.setTimestamp(2, Timestamp.from(t.getValue()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void upsertAccounts(Connection c, Collection<MentionCaptured> received) throws SQLException {
        Map<String, AccountSeen> accounts = new java.util.TreeMap<>();
        for (MentionCaptured m : received) {
            accounts.computeIfAbsent(m.author().id(), id -> new AccountSeen(id, m.platform()))
                    .saw(m.createdAt(), m.author().handle(), m.author().displayName(), m.author().bot());
            if (m.mentions() != null) {
                for (MentionCaptured.MentionedAccount named : m.mentions()) {
                    if (named.id() != null) {
                        accounts.computeIfAbsent(named.id(), id -> new AccountSeen(id, m.platform()))
                                .saw(m.createdAt(), named.handle(), null, false);
                    }
                }
            }
        }
        if (accounts.isEmpty()) {
            return;
        }
        // Each name is the one of the latest post that gives it (ties: the smaller); every column is a
        // commutative, idempotent summary, so neither arrival order nor replays change the result.
        try (PreparedStatement ps = c.prepareStatement("insert into account (id, platform, handle, handle_seen_at, "
                + "display_name, display_name_seen_at, bot, first_seen_at, last_seen_at) values (?, ?, ?, ?, ?, ?, ?, "
                + "?, ?) on conflict (id) do update set "
                + "handle = case when " + newer("handle") + " then excluded.handle else account.handle end, "
                + "handle_seen_at = case when " + newer("handle") + " then excluded.handle_seen_at "
                + "else account.handle_seen_at end, "
                + "display_name = case when " + newer("display_name") + " then excluded.display_name "
                + "else account.display_name end, "
                + "display_name_seen_at = case when " + newer("display_name") + " then excluded.display_name_seen_at "
                + "else account.display_name_seen_at end, "
                + "bot = account.bot or excluded.bot, "
                + "first_seen_at = least(account.first_seen_at, excluded.first_seen_at), "
                + "last_seen_at = greatest(account.last_seen_at, excluded.last_seen_at)")) {
            for (AccountSeen a : accounts.values()) {
                ps.setString(1, a.id);
                ps.setString(2, a.platform);
                ps.setString(3, a.handle);
                ps.setTimestamp(4, a.handleAt == null ? null : Timestamp.from(a.handleAt));
                ps.setString(5, a.displayName);
                ps.setTimestamp(6, a.displayNameAt == null ? null : Timestamp.from(a.displayNameAt));
                ps.setBoolean(7, a.bot);
                ps.setTimestamp(8, Timestamp.from(a.first));
                ps.setTimestamp(9, Timestamp.from(a.last));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static String newer(String column) {
        return "excluded." + column + " is not null and (account." + column + " is null or excluded." + column
                + "_seen_at > account." + column + "_seen_at or excluded." + column + "_seen_at = account." + column
                + "_seen_at and excluded." + column + " < account." + column + ")";
    }

    /** Moves mentions of fragment conversations into the ones they belong to; returns the fragments merged. */
    private static List<String> moveConversations(Connection c, Map<String, String> moves) throws SQLException {
        List<String> merged = new ArrayList<>();
        if (moves.isEmpty()) {
            return merged;
        }
        // Most new mentions are not a missing link; find the few that some stored mentions wait for.
        Map<String, String> waitedFor = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select f.id from unnest(?::text[]) as f(id) where exists "
                + "(select 1 from mention m where m.conversation_id = f.id)")) {
            ps.setArray(1, textArray(c, moves.keySet()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    waitedFor.put(id, moves.get(id));
                }
            }
        }
        if (waitedFor.isEmpty()) {
            return merged;
        }
        Array from = textArray(c, waitedFor.keySet());
        Array to = textArray(c, waitedFor.values());
        try (PreparedStatement ps = c.prepareStatement("update mention m set conversation_id = v.to_id "
                + "from unnest(?::text[], ?::text[]) as v(from_id, to_id) where m.conversation_id = v.from_id")) {
            ps.setArray(1, from);
            ps.setArray(2, to);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("delete from conversation where id = any(?) returning id")) {
            ps.setArray(1, from);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    merged.add(rs.getString(1));
                }
            }
        }
        if (!merged.isEmpty()) {
            try (PreparedStatement redirect = c.prepareStatement(
                    "update merged_conversation set into_id = ? where into_id = ?");
                    PreparedStatement record = c.prepareStatement("insert into merged_conversation (id, into_id, "
                            + "merged_at) values (?, ?, now()) on conflict (id) do update set into_id = excluded.into_id")) {
                for (String old : merged) {
                    redirect.setString(1, moves.get(old));
                    redirect.setString(2, old);
                    redirect.addBatch();
                    record.setString(1, old);
                    record.setString(2, moves.get(old));
                    record.addBatch();
                }
                redirect.executeBatch();
                record.executeBatch();
            }
        }
        return merged;
    }

    private static List<ConversationUpdated> recompute(Connection c, Set<String> conversationIds,
            Map<String, List<String>> mergedInto, Set<String> organisationAccounts) throws SQLException {
        Map<String, ConversationShape> shapes = new LinkedHashMap<>();
        for (String id : conversationIds) {
            shapes.put(id, new ConversationShape(id, organisationAccounts));
        }
        try (PreparedStatement ps = c.prepareStatement("select conversation_id, id, kind, reply_to_id, author_id, "
                + "created_at, platform, lang from mention where conversation_id = any(?)")) {
            ps.setArray(1, textArray(c, conversationIds));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    shapes.get(rs.getString(1)).add(rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getTimestamp(6).toInstant(), rs.getString(7), rs.getString(8));
                }
            }
        }
        // Every fragment ever merged into each conversation, not only this batch's: a consumer that missed a merge
        // (its publication lost in a crash, the batch replayed) catches up with the next state of the conversation.
        Map<String, List<String>> allMerged = new HashMap<>();
        mergedInto.forEach((into, olds) -> allMerged.computeIfAbsent(into, k -> new ArrayList<>()).addAll(olds));
        try (PreparedStatement ps = c.prepareStatement("select into_id, id from merged_conversation "
                + "where into_id = any(?) order by id")) {
            ps.setArray(1, textArray(c, conversationIds));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<String> olds = allMerged.computeIfAbsent(rs.getString(1), k -> new ArrayList<>());
                    if (!olds.contains(rs.getString(2))) {
                        olds.add(rs.getString(2));
                    }
                }
            }
        }
        // The database's clock, read under the threading lock: updatedAt grows with every change of a conversation
        // whichever instance made it, so consumers can keep the latest state.
        Instant now;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select clock_timestamp()")) {
            rs.next();
            now = rs.getTimestamp(1).toInstant();
        }
        List<ConversationUpdated> updates = new ArrayList<>(shapes.size());
        for (ConversationShape shape : shapes.values()) {
            if (shape.hasPosts()) {
                updates.add(shape.toEvent(allMerged.getOrDefault(shape.id(), List.of()), now));
            }
        }
        if (updates.isEmpty()) {
            return updates;
        }
        try (PreparedStatement ps = c.prepareStatement("insert into conversation (id, root_present, size, depth, "
                + "participants, platforms, languages, first_activity_at, last_activity_at, max_branching, "
                + "updated_at, organisation_took_part) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (id) "
                + "do update set root_present = excluded.root_present, size = excluded.size, "
                + "depth = excluded.depth, participants = excluded.participants, platforms = excluded.platforms, "
                + "languages = excluded.languages, first_activity_at = excluded.first_activity_at, "
                + "last_activity_at = excluded.last_activity_at, max_branching = excluded.max_branching, "
                + "updated_at = excluded.updated_at, organisation_took_part = excluded.organisation_took_part")) {
            for (ConversationUpdated u : updates) {
                ps.setString(1, u.id());
                ps.setBoolean(2, u.rootPresent());
                ps.setInt(3, u.size());
                ps.setInt(4, u.depth());
                ps.setInt(5, u.participants());
                ps.setArray(6, textArray(c, u.platforms()));
                ps.setArray(7, textArray(c, u.languages()));
                ps.setTimestamp(8, Timestamp.from(u.firstActivityAt()));
                ps.setTimestamp(9, Timestamp.from(u.lastActivityAt()));
                ps.setInt(10, u.maxBranching());
                ps.setTimestamp(11, Timestamp.from(u.updatedAt()));
                ps.setBoolean(12, u.organisationTookPart());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return updates;
    }

    private static Array textArray(Connection c, Collection<String> values) throws SQLException {
        return c.createArrayOf("text", values.toArray());
    }

    private String withoutContent(String payload) {
        try {
            ObjectNode node = (ObjectNode) mapper.readTree(payload);
            node.put("text", "");
            node.putArray("mentions");
            node.putArray("hashtags");
            node.putArray("links");
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalStateException("Stored payload is not a JSON object", e);
        }
    }

    /** A mention row as this batch sees it. */
    private static final class Row {
        final String id;
        final MentionCaptured mention;
        String conversationId;
        String payload;
        boolean deleted;
        boolean edited;
        boolean fresh;
        boolean changed;
        /** Its content was replaced by another version in this batch. */
        boolean reinterpreted;
        /** The platform's time of the version whose content is stored. */
        Instant versionAt;
        /** Grows with every change of the stored row, so that consumers keep its latest state. */
        long version;
        String kind;
        String authorId;
        String replyToAuthorId;
        String quoteAuthorId;
        String repostAuthorId;
        List<String> mentioned = List.of();
        List<String> hashtags = List.of();
        List<String> links = List.of();
        String lang;
        boolean langDetected;
        Instant createdAt;
        String quoteOf;
        String repostOf;
        String replyToId;

        Row(String id, MentionCaptured mention) {
            this.id = id;
            this.mention = mention;
        }

        /** The columns {@link #stored} reads, in its order. */
        static final String STORED_COLUMNS = "id, conversation_id, deleted, edited, payload, kind, author_id, "
                + "reply_to_author_id, mentioned_ids, quote_author_id, repost_author_id, hashtags, links, lang, "
                + "lang_detected, created_at, quote_of, repost_of, reply_to_id, version_at, version";

        /** A stored mention, from a row selected with {@link #STORED_COLUMNS}. */
        static Row stored(ResultSet rs) throws SQLException {
            Row r = new Row(rs.getString(1), null);
            r.conversationId = rs.getString(2);
            r.deleted = rs.getBoolean(3);
            r.edited = rs.getBoolean(4);
            r.payload = rs.getString(5);
            r.kind = rs.getString(6);
            r.authorId = rs.getString(7);
            r.replyToAuthorId = rs.getString(8);
            r.mentioned = List.of((String[]) rs.getArray(9).getArray());
            r.quoteAuthorId = rs.getString(10);
            r.repostAuthorId = rs.getString(11);
            r.hashtags = List.of((String[]) rs.getArray(12).getArray());
            r.links = List.of((String[]) rs.getArray(13).getArray());
            r.lang = rs.getString(14);
            r.langDetected = rs.getBoolean(15);
            r.createdAt = rs.getTimestamp(16).toInstant();
            r.quoteOf = rs.getString(17);
            r.repostOf = rs.getString(18);
            r.replyToId = rs.getString(19);
            r.versionAt = rs.getTimestamp(20).toInstant();
            r.version = rs.getLong(21);
            return r;
        }

        static Row created(MentionCaptured m, String json) {
            Row r = new Row(m.id(), m);
            r.payload = json;
            r.edited = m.isEdit();
            r.fresh = true;
            r.kind = m.isEdit() ? "post" : m.kind();
            r.authorId = m.author().id();
            r.replyToAuthorId = m.replyTo() == null ? null : m.replyTo().authorId();
            r.createdAt = m.createdAt();
            r.versionAt = m.createdAt();
            r.version = 1;
            r.quoteOf = "repost".equals(r.kind) ? null : m.quoteOf();
            r.repostOf = "repost".equals(r.kind) ? m.repostOf() : null;
            r.replyToId = m.replyTo() == null ? null : m.replyTo().id();
            return r;
        }

        /** Ids of the posts whose authors this row still needs. */
        List<String> unresolvedTargets() {
            List<String> targets = new ArrayList<>(1);
            if (quoteOf != null && quoteAuthorId == null) {
                targets.add(quoteOf);
            }
            if (repostOf != null && repostAuthorId == null) {
                targets.add(repostOf);
            }
            if (replyToId != null && replyToAuthorId == null) {
                targets.add(replyToId);
            }
            return targets;
        }

        void resolveAuthors(java.util.function.Function<String, String> authorOf) {
            if (quoteOf != null && quoteAuthorId == null) {
                quoteAuthorId = authorOf.apply(quoteOf);
            }
            if (repostOf != null && repostAuthorId == null) {
                repostAuthorId = authorOf.apply(repostOf);
            }
            if (replyToId != null && replyToAuthorId == null) {
                replyToAuthorId = authorOf.apply(replyToId);
            }
        }

        /** The relationships this row makes as stored (authors not yet resolved make none). */
        List<Relationships.Key> relationships() {
            return Relationships.of(kind, authorId, replyToAuthorId, mentioned, quoteAuthorId, repostAuthorId);
        }
    }

    /** What one batch saw of an account. */
    private static final class AccountSeen {
        final String id;
        final String platform;
        String handle;
        Instant handleAt;
        String displayName;
        Instant displayNameAt;
        boolean bot;
        Instant first;
        Instant last;

        AccountSeen(String id, String platform) {
            this.id = id;
            this.platform = platform;
        }

        void saw(Instant at, String handle, String displayName, boolean bot) {
            if (handle != null && (handleAt == null || at.isAfter(handleAt)
                    || at.equals(handleAt) && smaller(handle, this.handle))) {
                this.handle = handle;
                handleAt = at;
            }
            if (displayName != null && (displayNameAt == null || at.isAfter(displayNameAt)
                    || at.equals(displayNameAt) && smaller(displayName, this.displayName))) {
                this.displayName = displayName;
                displayNameAt = at;
            }
            last = last == null || at.isAfter(last) ? at : last;
            first = first == null || at.isBefore(first) ? at : first;
            this.bot |= bot;
        }

        private static boolean smaller(String candidate, String current) {
            return candidate != null && (current == null || candidate.compareTo(current) < 0);
        }
    }
}
