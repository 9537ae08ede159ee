package io.palabre.analysis.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
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

    public Set<String> ids() {
        Set<String> current = ids;
        if (current == null) {
            synchronized (this) {
                if (ids == null) {
                    ids = load();
                }
                current = ids;
            }
        }
        return current;
    }

    public boolean contains(String accountId) {
        return ids().contains(accountId);
    }

    /**
     * Replaces what one query says (null: the query was deleted), inside the caller's transaction, and returns the
     * accounts that became or stopped being organisation accounts. The caller holds threading's lock, so no batch of
     * mentions is in flight: every later batch sees the new set, which is in memory before the lock is released. {@link #forget()} after a rollback.
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
        Set<String> after = load(c);
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

    private Set<String> load() {
        try (Connection c = dataSource.getConnection()) {
            return load(c);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the organisation accounts", e);
        }
    }

    private static Set<String> load(Connection c) throws SQLException {
        Set<String> ids = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("select distinct account_id from organisation_account");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return Set.copyOf(ids);
    }
}
