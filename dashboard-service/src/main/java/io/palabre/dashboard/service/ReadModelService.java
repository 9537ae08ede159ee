package io.palabre.dashboard.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;
import io.palabre.dashboard.domain.AccountMetricsUpdated;
import io.palabre.dashboard.domain.ConversationUpdated;
import io.palabre.dashboard.domain.MentionThreaded;
import io.palabre.dashboard.domain.RelationshipUpdated;
import io.palabre.dashboard.repository.Jdbc;
import io.palabre.support.UntrustedText;

/**
 * Applies a batch of analysis results to the read model in one transaction: conversation states (last write wins,
 * merges followed) and mentions (upserted by id, mapped through merges to the live conversation).
 */
@ApplicationScoped
public class ReadModelService {

    private static final long READ_MODEL_LOCK = 0x70616c6162726532L;

    private final AgroalDataSource dataSource;

    public ReadModelService(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** One poll of analysis results, by topic. */
    public record Results(List<ConversationUpdated> conversations, List<MentionThreaded> mentions,
            List<RelationshipUpdated> relationships, List<AccountMetricsUpdated> accounts) {

        /** Results to fill with {@link #add}. */
        public static Results empty() {
            return new Results(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        }

        /** Adds one result of any of the four kinds to the list of its kind. */
        public void add(Object result) {
            if (result instanceof ConversationUpdated c) {
                conversations.add(c);
            } else if (result instanceof MentionThreaded m) {
                mentions.add(m);
            } else if (result instanceof RelationshipUpdated r) {
                relationships.add(r);
            } else if (result instanceof AccountMetricsUpdated a) {
                accounts.add(a);
            } else {
                throw new IllegalArgumentException("not an analysis result: " + result.getClass());
            }
        }

        public int size() {
            return conversations.size() + mentions.size() + relationships.size() + accounts.size();
        }
    }

    public void apply(List<ConversationUpdated> conversations, List<MentionThreaded> mentions) throws SQLException {
        apply(new Results(conversations, mentions, List.of(), List.of()));
    }

    public void apply(Results results) throws SQLException {
        Jdbc.transaction(dataSource, c -> {
            apply(c, results.conversations(), results.mentions());
            GraphReadModel.apply(c, results.relationships(), results.accounts());
        });
    }

    private static void apply(Connection c, List<ConversationUpdated> conversations, List<MentionThreaded> mentions)
            throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("select pg_advisory_xact_lock(" + READ_MODEL_LOCK + ")");
        }
        Set<String> referenced = new HashSet<>();
        conversations.forEach(u -> {
            referenced.add(u.id());
            referenced.addAll(u.mergedFrom());
        });
        mentions.forEach(m -> referenced.add(m.conversationId()));
        Map<String, String> merged = loadMerged(c, referenced);

        Map<String, ConversationUpdated> latest = new LinkedHashMap<>();
        for (ConversationUpdated update : conversations) {
            if (merged.containsKey(update.id())) {
                continue; // a stale state of a fragment that has since been merged away
            }
            for (String old : update.mergedFrom()) {
                if (!old.equals(update.id()) && !update.id().equals(merged.get(old))) {
                    merge(c, old, update.id());
                    merged.replaceAll((from, into) -> into.equals(old) ? update.id() : into);
                    merged.put(old, update.id());
                    latest.remove(old);
                }
            }
            // Several states of one conversation in one poll: the latest by updatedAt, not the last read (analysis
            // consumers publish when their batch ends, so an earlier state may arrive after a later one).
            latest.merge(update.id(), update, (a, b) -> b.updatedAt().isBefore(a.updatedAt()) ? a : b);
        }
        upsertConversations(c, latest.values());

        Map<String, MentionThreaded> byId = new LinkedHashMap<>();
        mentions.forEach(m -> byId.merge(m.mention().id(), m, (a, b) -> b.version() >= a.version() ? b : a));
        Map<String, Stored> stored = stored(c, byId.keySet());
        byId.values().removeIf(m -> stored.containsKey(m.mention().id())
                && m.version() < stored.get(m.mention().id()).version());
        upsertMentions(c, byId.values(), merged, stored);
    }

    private static Map<String, String> loadMerged(Connection c, Set<String> ids) throws SQLException {
        Map<String, String> merged = new HashMap<>();
        if (ids.isEmpty()) {
            return merged;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "select id, into_id from merged_conversation where id = any(?)")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    merged.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return merged;
    }

    private static void merge(Connection c, String old, String into) throws SQLException {
        try (PreparedStatement record = c.prepareStatement("insert into merged_conversation (id, into_id) "
                + "values (?, ?) on conflict (id) do update set into_id = excluded.into_id");
                PreparedStatement redirect = c.prepareStatement(
                        "update merged_conversation set into_id = ? where into_id = ?");
                PreparedStatement move = c.prepareStatement(
                        "update mention set conversation_id = ? where conversation_id = ?");
                PreparedStatement drop = c.prepareStatement("delete from conversation where id = ?")) {
            record.setString(1, old);
            record.setString(2, into);
            record.executeUpdate();
            redirect.setString(1, into);
            redirect.setString(2, old);
            redirect.executeUpdate();
            move.setString(1, into);
            move.setString(2, old);
            move.executeUpdate();
            drop.setString(1, old);
            drop.executeUpdate();
        }
    }

    private static void upsertConversations(Connection c, Collection<ConversationUpdated> updates)
            throws SQLException {
        if (updates.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("insert into conversation (id, root_present, size, depth, "
                + "participants, platforms, languages, first_activity_at, last_activity_at, max_branching, "
                + "updated_at, organisation_took_part) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                + "on conflict (id) do update set organisation_took_part = excluded.organisation_took_part, "
                + "root_present = excluded.root_present, size = excluded.size, depth = excluded.depth, "
                + "participants = excluded.participants, platforms = excluded.platforms, "
                + "languages = excluded.languages, first_activity_at = excluded.first_activity_at, "
                + "last_activity_at = excluded.last_activity_at, max_branching = excluded.max_branching, "
                + "updated_at = excluded.updated_at where conversation.updated_at <= excluded.updated_at")) {
            for (ConversationUpdated u : updates) {
                ps.setString(1, u.id());
                ps.setBoolean(2, u.rootPresent());
                ps.setInt(3, u.size());
                ps.setInt(4, u.depth());
                ps.setInt(5, u.participants());
                ps.setArray(6, c.createArrayOf("text", u.platforms().toArray()));
                ps.setArray(7, c.createArrayOf("text", u.languages().toArray()));
                ps.setTimestamp(8, Timestamp.from(u.firstActivityAt()));
                ps.setTimestamp(9, Timestamp.from(u.lastActivityAt()));
                ps.setInt(10, u.maxBranching());
                ps.setTimestamp(11, Timestamp.from(u.updatedAt()));
                ps.setBoolean(12, u.organisationTookPart());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * What is stored of a mention: its version, what a new state does not replace (its platform, and its listening
     * query when the new state names none), and where it counts in the roll-up.
     */
    private record Stored(long version, String platform, String query, ActivityRollup.Cell counted,
            List<TagRollup.Cell> tagged) {
    }

    /**
     * What is stored of these mentions, by which the caller drops a state older than the stored one: a mention
     * republished after a merge travels under its new conversation's key, so another partition can bring an older
     * state of it later.
     */
    private static Map<String, Stored> stored(Connection c, Set<String> ids) throws SQLException {
        Map<String, Stored> stored = new HashMap<>();
        if (ids.isEmpty()) {
            return stored;
        }
        try (PreparedStatement ps = c.prepareStatement("select id, version, created_at, platform, lang, query, kind, "
                + "deleted, hashtags, links from mention where id = any(?)")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ActivityRollup.Cell counted = ActivityRollup.cell(rs.getTimestamp(3).toInstant(),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getBoolean(8));
                    stored.put(rs.getString(1), new Stored(rs.getLong(2), rs.getString(4), rs.getString(6), counted,
                            TagRollup.cells(counted, List.of((String[]) rs.getArray(9).getArray()),
                                    List.of((String[]) rs.getArray(10).getArray()))));
                }
            }
        }
        return stored;
    }

    private static void upsertMentions(Connection c, Collection<MentionThreaded> mentions, Map<String, String> merged,
            Map<String, Stored> stored) throws SQLException {
        if (mentions.isEmpty()) {
            return;
        }
        Map<ActivityRollup.Cell, Long> activity = new HashMap<>();
        Map<TagRollup.Cell, Long> tags = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("insert into mention (id, conversation_id, platform, kind, "
                + "created_at, author_id, author_handle, author_display_name, text, lang, url, reply_to_id, quote_of, "
                + "repost_of, deleted, edited, lang_detected, hashtags, links, query, version) values (?, ?, ?, ?, ?, ?, "
                + "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                + "on conflict (id) do update set conversation_id = excluded.conversation_id, kind = excluded.kind, "
                + "created_at = excluded.created_at, version = excluded.version, "
                + "author_handle = excluded.author_handle, author_display_name = excluded.author_display_name, "
                + "text = excluded.text, lang = excluded.lang, url = excluded.url, deleted = excluded.deleted, "
                + "edited = excluded.edited, lang_detected = excluded.lang_detected, hashtags = excluded.hashtags, "
                + "links = excluded.links, query = coalesce(excluded.query, mention.query)")) {
            for (MentionThreaded t : mentions) {
                MentionThreaded.Mention m = t.mention();
                Stored before = stored.get(m.id());
                String kind = "edit".equals(m.kind()) ? "post" : m.kind();
                String lang = t.lang() != null ? t.lang() : m.lang();
                String query = m.source() != null && m.source().query() != null ? m.source().query()
                        : before == null ? null : before.query();
                ActivityRollup.Cell counted = ActivityRollup.cell(t.postedAtOrCreated(),
                        before == null ? m.platform() : before.platform(), lang, query, kind, t.deleted());
                ActivityRollup.move(activity, before == null ? null : before.counted(), counted);
                List<String> hashtags = orEmpty(t.hashtags());
                List<String> links = orEmpty(t.links()).stream().filter(l -> webUrl(l) != null).toList();
                TagRollup.move(tags, before == null ? List.of() : before.tagged(), TagRollup.cells(counted, hashtags,
                        links));
                ps.setString(1, m.id());
                ps.setString(2, merged.getOrDefault(t.conversationId(), t.conversationId()));
                ps.setString(3, m.platform());
                ps.setString(4, kind);
                ps.setTimestamp(5, Timestamp.from(t.postedAtOrCreated()));
                ps.setString(6, m.author().id());
                ps.setString(7, m.author().handle());
                ps.setString(8, m.author().displayName());
                ps.setString(9, m.text() == null ? "" : m.text());
                ps.setString(10, lang);
                ps.setString(11, webUrl(m.url()));
                ps.setString(12, m.replyTo() == null ? null : m.replyTo().id());
                ps.setString(13, m.quoteOf());
                ps.setString(14, m.repostOf());
                ps.setBoolean(15, t.deleted());
                ps.setBoolean(16, t.edited());
                ps.setBoolean(17, t.langDetected());
                ps.setArray(18, c.createArrayOf("text", hashtags.toArray()));
                ps.setArray(19, c.createArrayOf("text", links.toArray()));
                ps.setString(20, m.source() == null ? null : m.source().query());
                ps.setLong(21, t.version());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        ActivityRollup.apply(c, activity);
        TagRollup.apply(c, tags);
        GraphReadModel.mentionRelationships(c, mentions);
        GraphReadModel.accountNames(c, mentions);
    }

    /** The URL when it is an http(s) one, else null: a topic is untrusted input, and pages render these as links. */
    static String webUrl(String url) {
        return UntrustedText.isWebUrl(url) ? url : null;
    }

    private static <T> List<T> orEmpty(List<T> values) {
        return values == null ? List.of() : values;
    }
}
