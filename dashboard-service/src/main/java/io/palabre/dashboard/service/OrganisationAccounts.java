package io.palabre.dashboard.service;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;
import io.palabre.dashboard.repository.Jdbc;

/**
 * The accounts that listening queries name as the organisation's own (topic {@code queries}): whose dialogue metrics
 * the dashboard computes, and which posts count as the organisation's in them.
 */
@ApplicationScoped
public class OrganisationAccounts {

    private static final String ALL = "select distinct account_id from organisation_account order by account_id";
    private static final String FORGET = "delete from organisation_account where query_id = ?";
    private static final String NAME = "insert into organisation_account (query_id, query_name, account_id) "
            + "values (?, ?, ?) on conflict do nothing";

    private final AgroalDataSource dataSource;

    public OrganisationAccounts(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Every organisation account, sorted. */
    public List<String> ids() throws SQLException {
        return Jdbc.query(dataSource, ALL, Jdbc.Binder.NONE, rs -> rs.getString(1));
    }

    /** All organisation accounts when this is one of them, else null. */
    public Set<String> containing(String accountId) throws SQLException {
        Set<String> all = new TreeSet<>(ids());
        return all.contains(accountId) ? all : null;
    }

    /** Replaces what one query says of the organisation's accounts; an empty set (or a deleted query) says none. */
    public void replace(String queryId, String queryName, Set<String> accounts) throws SQLException {
        Jdbc.transaction(dataSource, c -> {
            try (PreparedStatement forget = c.prepareStatement(FORGET)) {
                forget.setString(1, queryId);
                forget.executeUpdate();
            }
            Jdbc.batch(c, NAME, new TreeSet<>(accounts), (ps, account) -> {
                ps.setString(1, queryId);
                ps.setString(2, queryName);
                ps.setString(3, account);
            });
        });
    }
}
