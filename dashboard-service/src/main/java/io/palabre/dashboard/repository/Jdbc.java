package io.palabre.dashboard.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

/**
 * The one way the dashboard's stores run a statement: the SQL as a named constant, a binder that sets its
 * parameters, a mapper that reads a row. Inside a transaction ({@code @Transactional}) every call shares its
 * connection.
 */
public final class Jdbc {

    /** Sets a statement's parameters. */
    @FunctionalInterface
    public interface Binder {

        Binder NONE = ps -> {
        };

        void bind(PreparedStatement ps) throws SQLException;
    }

    /** Work on one connection, inside a transaction. */
    @FunctionalInterface
    public interface Work {

        void run(Connection c) throws SQLException;
    }

    /** Sets a batched statement's parameters for one item. */
    @FunctionalInterface
    public interface ItemBinder<T> {

        void bind(PreparedStatement ps, T item) throws SQLException;
    }

    /** Reads the current row. */
    @FunctionalInterface
    public interface RowMapper<T> {

        T map(ResultSet rs) throws SQLException;
    }

    private Jdbc() {
    }

    public static <T> List<T> query(DataSource dataSource, String sql, Binder binder, RowMapper<T> mapper)
            throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            List<T> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
            }
            return rows;
        }
    }

    public static <T> Optional<T> one(DataSource dataSource, String sql, Binder binder, RowMapper<T> mapper)
            throws SQLException {
        List<T> rows = query(dataSource, sql, binder, mapper);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    /** Runs the work in one transaction: committed when it returns, rolled back when it throws. */
    public static void transaction(DataSource dataSource, Work work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
    }

    /** Runs one statement for each item, as one batch on the caller's connection; nothing when there is none. */
    public static <T> void batch(Connection c, String sql, java.util.Collection<T> items, ItemBinder<T> binder)
            throws SQLException {
        if (items.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (T item : items) {
                binder.bind(ps, item);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Runs an insert, update or delete; returns how many rows it changed. */
    public static int update(DataSource dataSource, String sql, Binder binder) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate();
        }
    }

    public static java.time.Instant instant(ResultSet rs, String column) throws SQLException {
        java.time.OffsetDateTime t = rs.getObject(column, java.time.OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    public static java.time.OffsetDateTime at(java.time.Instant instant) {
        return instant == null ? null : instant.atOffset(java.time.ZoneOffset.UTC);
    }
}
