package io.palabre.system;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The state of a service's database as the rows of its state tables (not history such as merge records, versions or
 * storage times), so that two runs can be compared exactly and their differences shown.
 */
final class StateDigests {

    /** analysis-service: what it derives from the mentions, organisation interactions included. */
    static final Map<String, String> ANALYSIS = Map.of(
            "mention", "select m.id, coalesce(g.into_id, m.conversation_id) as conversation_id, m.kind, "
                    + "m.created_at, m.deleted, m.edited, m.lang, m.lang_detected, m.reply_to_author_id, "
                    + "m.quote_author_id, m.repost_author_id, m.mentioned_ids, m.hashtags, m.links, m.payload "
                    + "from mention m left join merged_conversation g on g.id = m.conversation_id",
            "conversation", "select id, root_present, size, depth, participants, platforms, languages, "
                    + "first_activity_at, last_activity_at, max_branching, organisation_took_part from conversation",
            "relationship", "select source_id, target_id, type, weight, first_seen_at, last_seen_at from relationship",
            "account", "select id, platform, handle, display_name, bot, first_seen_at, last_seen_at from account",
            "tombstone", "select id from mention_tombstone",
            "organisation_account", "select query_name, account_id from organisation_account");

    /** dashboard-service: the read model the API serves. */
    static final Map<String, String> DASHBOARD = Map.of(
            "mention", "select id, conversation_id, platform, kind, created_at, author_id, author_handle, "
                    + "author_display_name, text, lang, url, reply_to_id, quote_of, repost_of, deleted, edited, "
                    + "lang_detected, hashtags, links from mention",
            "conversation", "select id, root_present, size, depth, participants, platforms, languages, "
                    + "first_activity_at, last_activity_at, max_branching, organisation_took_part from conversation",
            "relationship", "select source_id, target_id, type, weight, first_seen_at, last_seen_at from relationship "
                    + "where weight > 0",
            "mention_relationship", "select mention_id, type, source_id, target_id, created_at "
                    + "from mention_relationship",
            "organisation_account", "select query_name, account_id from organisation_account");

    private StateDigests() {
    }

    /** A database, as a JDBC URL with its credentials. */
    record Database(String url, String user, String password) {

        Connection connect() throws java.sql.SQLException {
            return DriverManager.getConnection(url, user, password);
        }
    }

    /** The rows of each query, as text, by query name. */
    static Map<String, Set<String>> of(Database database, Map<String, String> queries) throws Exception {
        Map<String, Set<String>> state = new java.util.TreeMap<>();
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            for (Map.Entry<String, String> q : queries.entrySet()) {
                Set<String> rows = new TreeSet<>();
                try (ResultSet rs = s.executeQuery("select t::text from (" + q.getValue() + ") t")) {
                    while (rs.next()) {
                        rows.add(rs.getString(1));
                    }
                }
                state.put(q.getKey(), rows);
            }
        }
        return state;
    }

    /** Asserts that two states are the same, listing a few rows of each difference when they are not. */
    static void assertSame(Map<String, Set<String>> expected, Map<String, Set<String>> actual, String when) {
        if (expected.equals(actual)) {
            return;
        }
        StringBuilder differences = new StringBuilder(when).append(": state differs\n");
        for (String table : expected.keySet()) {
            Set<String> onlyExpected = new TreeSet<>(expected.get(table));
            onlyExpected.removeAll(actual.getOrDefault(table, Set.of()));
            Set<String> onlyActual = new TreeSet<>(actual.getOrDefault(table, Set.of()));
            onlyActual.removeAll(expected.get(table));
            differences.append(table).append(": ").append(expected.get(table).size()).append(" rows undisturbed, ")
                    .append(actual.getOrDefault(table, Set.of()).size()).append(" in this run\n");
            onlyExpected.stream().limit(5).forEach(r -> differences.append("  undisturbed only: ").append(cut(r))
                    .append('\n'));
            onlyActual.stream().limit(5).forEach(r -> differences.append("  this run only:    ").append(cut(r))
                    .append('\n'));
        }
        throw new AssertionError(differences.toString());
    }

    /** Asserts that two databases hold the same state. */
    static void assertSame(Database reference, Database actual, Map<String, String> queries, String when)
            throws Exception {
        assertSame(of(reference, queries), of(actual, queries), when);
    }

    private static String cut(String row) {
        return row.length() <= 400 ? row : row.substring(0, 400) + "…";
    }
}
