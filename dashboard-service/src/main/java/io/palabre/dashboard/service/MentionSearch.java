package io.palabre.dashboard.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/**
 * The newest mentions that match a full-text search (and other filters), fast whether its words are common or rare.
 *
 * <p>Two plans answer such a question, each fast where the other is slow. Walking the mentions newest first and
 * testing each finds a page of a common word at once, but reads the whole table for a word that few or no mentions
 * have. Collecting the matches from the full-text index and sorting them is immediate for a rare word, and reads
 * millions of entries for a common one. PostgreSQL chooses from its estimate of how many mentions match, which for a
 * word outside its statistics can be wrong by orders of magnitude (at 10 million mentions, a word nobody wrote took
 * 60 s). So the walk is first given a glance ({@link #GLANCE_MILLIS}): a common word's page is found by then. Else
 * the matches are counted from the index, up to a bound (cheap for a word that is not common): as many as that or
 * fewer, they are sorted; more, the walk goes on for longer. A walk that runs out of its time (the common word's
 * matches all old) ends in the sort too. Whichever plan answers, the page is the same.
 */
public final class MentionSearch {

    /** A search with at most this many matches is answered by sorting them. */
    public static final int RARE = 5_000;
    /** How long the newest-first walk may take before the matches are sorted instead. */
    public static final long WALK_MILLIS = 1_000;
    /**
     * How long the walk is tried before anything else. At 10 million mentions counting a common word's matches costs
     * about 85 ms of bitmap (its whole entry in the index), its page by the walk a few milliseconds.
     */
    public static final long GLANCE_MILLIS = 50;

    /** Which plan answered. */
    public enum Plan {
        NEWEST_FIRST, FROM_THE_INDEX
    }

    /** The ids of the page, newest first, and the plan that found them. */
    public record Found(List<String> ids, Plan plan) {
    }

    private MentionSearch() {
    }

    /**
     * The ids of the {@code limit} newest mentions {@code m} that satisfy {@code where} (SQL conditions on alias
     * {@code m} with positional parameters {@code values}), on the caller's connection, inside its transaction: sorted
     * from the index when at most {@code rare} match, else walked newest first for at most {@code walkMillis} (0: not
     * walked), and sorted when the walk runs out of time.
     */
    public static Found newest(Connection c, String where, List<Object> values, int limit, int rare,
            long walkMillis) throws SQLException {
        return newest(c, where, values, limit, 0, rare, walkMillis);
    }

    /**
     * As {@link #newest(Connection, String, List, int, int, long)}, after a newest-first walk of at most
     * {@code glanceMillis} (0: none) that answers when it ends in time.
     */
    public static Found newest(Connection c, String where, List<Object> values, int limit, long glanceMillis,
            int rare, long walkMillis) throws SQLException {
        String sql = "select m.id from mention m where " + where + " order by m.created_at desc, m.id desc limit "
                + limit;
        if (glanceMillis > 0) {
            List<String> found = walk(c, sql, values, glanceMillis);
            if (found != null) {
                return new Found(found, Plan.NEWEST_FIRST);
            }
        }
        // Savepoints in SQL: the connection pool refuses JDBC rollbacks on a connection of a managed transaction.
        set(c, "savepoint palabre_search");
        try {
            bitmapOnly(c);
            long matches = count(c, "select count(*) from (select 1 from mention m where " + where + " limit "
                    + (rare + 1) + ") found", values);
            if (matches <= rare) {
                return new Found(matches == 0 ? List.of() : ids(c, sql, values), Plan.FROM_THE_INDEX);
            }
        } finally {
            set(c, "rollback to savepoint palabre_search"); // the planner's settings as they were
        }
        if (walkMillis > 0) { // (PostgreSQL reads a time limit of 0 as none)
            List<String> found = walk(c, sql, values, walkMillis);
            if (found != null) {
                return new Found(found, Plan.NEWEST_FIRST);
            }
        }
        set(c, "savepoint palabre_sort");
        try {
            bitmapOnly(c);
            return new Found(ids(c, sql, values), Plan.FROM_THE_INDEX);
        } finally {
            set(c, "rollback to savepoint palabre_sort");
        }
    }

    /** The page found by the planner's own plan (the newest-first walk) within this time, or null. */
    private static List<String> walk(Connection c, String sql, List<Object> values, long millis) throws SQLException {
        set(c, "savepoint palabre_walk");
        try {
            set(c, "set local statement_timeout = " + millis);
            return ids(c, sql, values);
        } catch (SQLException e) {
            if (!"57014".equals(e.getSQLState())) { // not a statement cancelled for its time
                throw e;
            }
            return null;
        } finally {
            set(c, "rollback to savepoint palabre_walk"); // also ends this time limit: the caller's applies
        }
    }

    /** Leaves the planner only bitmap scans: the full-text index, with those of the other filters. */
    private static void bitmapOnly(Connection c) throws SQLException {
        set(c, "set local enable_indexscan = off");
        set(c, "set local enable_seqscan = off");
    }

    private static long count(Connection c, String sql, List<Object> values) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, values); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void set(Connection c, String setting) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(setting);
        }
    }

    private static List<String> ids(Connection c, String sql, List<Object> values) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, values); ResultSet rs = ps.executeQuery()) {
            List<String> ids = new ArrayList<>();
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
            return ids;
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, List<Object> values) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < values.size(); i++) {
            Object v = values.get(i);
            ps.setObject(i + 1, v instanceof java.time.Instant at ? Timestamp.from(at) : v);
        }
        return ps;
    }
}
