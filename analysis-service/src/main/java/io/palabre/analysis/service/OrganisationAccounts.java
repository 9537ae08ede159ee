package io.palabre.analysis.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;
import io.palabre.analysis.domain.ListeningQueryChanged;

/**
 * The accounts that listening queries name as the organisation's own, kept in the database from topic
 * {@code queries} and held in memory for threading.
 */
@ApplicationScoped
public class OrganisationAccounts {

    private final AgroalDataSource dataSource;
    private volatile Set<String> ids;

    public OrganisationAccounts(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** An organisation account and the queries that name it. */
    public record Named(String accountId, List<String> queryIds, List<String> queryNames) {
    }

    public Set<String> ids() {
        Set<String> current = ids;
        if (current == null) {
            synchronized (this) {
                if (ids == null) {
                    ids = Set.copyOf(load().keySet());
                }
                current = ids;
            }
        }
        return current;
    }

    public boolean contains(String accountId) {
        return ids().contains(accountId);
    }

    /** Every organisation account with the queries naming it, by account id. */
    public Map<String, Named> all() {
        return load();
    }

    /**
     * Replaces what one query says (null: the query was deleted), inside the caller's transaction, and returns the
     * accounts that became or stopped being organisation accounts. Mentions stored before an account was named are
     * found and recorded as interacting with it. The caller holds threading's lock, so no batch of mentions is in
     * flight: every mention committed before is found here, and every later batch sees the new set, which is in memory
     * before the lock is released. {@link #forget()} after a rollback.
     */
    public synchronized Set<String> apply(Connection c, String queryId, ListeningQueryChanged query)
            throws SQLException {
        Set<String> before = new HashSet<>(ids());
        try (PreparedStatement ps = c.prepareStatement("delete from organisation_account where query_id = ?")) {
            ps.setString(1, queryId);
            ps.executeUpdate();
        }
        if (query != null && query.organisationAccounts() != null) {
            try (PreparedStatement ps = c.prepareStatement("insert into organisation_account (query_id, "
                    + "query_name, account_id) values (?, ?, ?) on conflict do nothing")) {
                for (String account : new TreeSet<>(query.organisationAccounts())) {
                    ps.setString(1, queryId);
                    ps.setString(2, query.name() == null ? queryId : query.name());
                    ps.setString(3, account);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        if (query != null && query.organisationAccounts() != null && !query.organisationAccounts().isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("insert into organisation_interaction (account_id, "
                    + "mention_id, created_at) select a.id, m.id, m.created_at from mention m join "
                    + "unnest(?::text[]) as a(id) on m.reply_to_author_id = a.id or a.id = any(m.mentioned_ids) "
                    + "or m.quote_author_id = a.id or m.repost_author_id = a.id where m.author_id <> a.id "
                    + "on conflict do nothing")) {
                ps.setArray(1, c.createArrayOf("text", query.organisationAccounts().toArray()));
                ps.executeUpdate();
            }
        }
        Set<String> after = Set.copyOf(load(c).keySet());
        ids = after;
        Set<String> changed = new TreeSet<>(before);
        changed.addAll(after);
        Set<String> kept = new HashSet<>(before);
        kept.retainAll(after);
        changed.removeAll(kept);
        return changed;
    }

    /** Drops the set held in memory, to be read again from the database (after a rolled-back change). */
    public synchronized void forget() {
        ids = null;
    }

    private Map<String, Named> load() {
        try (Connection c = dataSource.getConnection()) {
            return load(c);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the organisation accounts", e);
        }
    }

    private static Map<String, Named> load(Connection c) throws SQLException {
        Map<String, List<String[]>> byAccount = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select account_id, query_id, query_name from "
                + "organisation_account order by account_id, query_id");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                byAccount.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                        .add(new String[] { rs.getString(2), rs.getString(3) });
            }
        }
        Map<String, Named> named = new LinkedHashMap<>();
        byAccount.forEach((account, queries) -> named.put(account, new Named(account,
                queries.stream().map(q -> q[0]).toList(), queries.stream().map(q -> q[1]).toList())));
        return named;
    }
}
