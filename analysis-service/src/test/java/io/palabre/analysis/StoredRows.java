package io.palabre.analysis;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

/**
 * What the tests read back from analysis-service's database, one way for all of them.
 */
final class StoredRows {

    private StoredRows() {
    }

    /** The first column of the first row of a query with text parameters, or null when there is no row. */
    static Object value(DataSource dataSource, String sql, String... params) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getObject(1) : null;
            }
        }
    }

    /** A count query's answer. */
    static long count(DataSource dataSource, String sql, String... params) throws SQLException {
        return ((Number) value(dataSource, sql, params)).longValue();
    }
}
