package io.palabre.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.jboss.logging.Logger;

/**
 * Keeps the planner's statistics of a service's write-heavy tables current while they grow fast. PostgreSQL's
 * autovacuum analyzes a table once a tenth of it changed, but looks only once a minute per database, and a table
 * that was never analyzed has no statistics at all: while a backlog drains into a new database, the planner then
 * guesses that {@code conversation_id = any(?)} matches most of the table and scans all of it for every batch. This
 * looks every few seconds and analyzes (a sample of 30,000 rows, whatever the size) each table never analyzed once it
 * holds 1,000 rows, and each whose changes since its last analysis exceed a tenth of its rows.
 */
public final class TableStatistics implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TableStatistics.class);
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]*");
    private static final String STALE = "select relname, greatest(last_analyze, last_autoanalyze) "
            + "from pg_stat_user_tables where relname = any(?) and n_mod_since_analyze >= greatest(1000, "
            + "0.1 * coalesce(nullif((select reltuples from pg_class where oid = relid), -1), 0)) order by relname";

    private final DataSource dataSource;
    private final List<String> tables;
    private final ScheduledExecutorService executor;
    /** When this instance last analyzed each table: until the statistics say so too, the table is not stale. */
    private final Map<String, Instant> analyzedAt = new ConcurrentHashMap<>();

    private TableStatistics(DataSource dataSource, Set<String> tables, Duration every) {
        for (String table : tables) {
            if (!NAME.matcher(table).matches()) {
                throw new IllegalArgumentException("Not a table name: " + table);
            }
        }
        this.dataSource = dataSource;
        this.tables = List.copyOf(tables);
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "palabre-table-statistics");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::check, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Starts checking these tables at this interval. */
    public static TableStatistics start(DataSource dataSource, Set<String> tables, Duration every) {
        return new TableStatistics(dataSource, tables, every);
    }

    /** Analyzes the tables whose statistics are missing or stale; returns them. */
    public List<String> check() {
        List<String> analyzed = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            List<String> stale = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(STALE)) {
                ps.setArray(1, c.createArrayOf("text", tables.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String table = rs.getString(1);
                        Timestamp last = rs.getTimestamp(2);
                        Instant ours = analyzedAt.get(table);
                        // The activity statistics reach the server a moment after an analysis: until they show it,
                        // they still count the changes it covered.
                        if (ours == null || last != null && !last.toInstant().isBefore(ours)) {
                            stale.add(table);
                        }
                    }
                }
            }
            for (String table : stale) {
                long started = System.nanoTime();
                Instant at;
                try (Statement s = c.createStatement()) {
                    try (ResultSet now = s.executeQuery("select clock_timestamp()")) { // the server's clock
                        now.next();
                        at = now.getTimestamp(1).toInstant();
                    }
                    s.execute("analyze " + table);
                }
                analyzedAt.put(table, at);
                analyzed.add(table);
                LOG.debugf("Analyzed %s in %d ms", table, (System.nanoTime() - started) / 1_000_000);
            }
        } catch (SQLException | RuntimeException e) {
            // The next check tries again; planning with older statistics is slower, never wrong.
            LOG.debugf(e, "Could not refresh table statistics");
        }
        return analyzed;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
