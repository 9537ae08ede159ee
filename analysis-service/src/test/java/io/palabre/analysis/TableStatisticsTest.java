package io.palabre.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.palabre.support.TableStatistics;
import io.palabre.testing.LocalRuntimeResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** A table that grows gets planner statistics without waiting for autovacuum, and only when they are stale. */
@QuarkusTest
@WithTestResource(LocalRuntimeResource.class)
class TableStatisticsTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aGrowingTableIsAnalyzedOnceItsChangesExceedATenth() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("drop table if exists statistics_probe");
            s.execute("create table statistics_probe (id integer primary key, label text)");
            s.execute("alter table statistics_probe set (autovacuum_enabled = false)");
            s.execute("insert into statistics_probe select i, 'label ' || (i % 7) from generate_series(1, 5000) i");
        }
        try (TableStatistics statistics = TableStatistics.start(dataSource, Set.of("statistics_probe"),
                Duration.ofHours(1))) {
            List<String> analyzed = awaitChecked(statistics);
            assertEquals(List.of("statistics_probe"), analyzed, "never analyzed, 5,000 rows changed");
            assertEquals(7L, distinctLabels(), "the planner knows the column now");
            assertEquals(List.of(), statistics.check(), "nothing changed since");

            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("insert into statistics_probe select i, 'x' from generate_series(5001, 5300) i");
            }
            assertEquals(List.of(), awaitStable(statistics), "300 rows are under a tenth of 5,000 and under 1,000");
        } finally {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("drop table statistics_probe");
            }
        }
    }

    /** The activity statistics reach the collector within a moment of the commit. */
    private static List<String> awaitChecked(TableStatistics statistics) throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            List<String> analyzed = statistics.check();
            if (!analyzed.isEmpty()) {
                return analyzed;
            }
            Thread.sleep(100);
        }
        return List.of();
    }

    private static List<String> awaitStable(TableStatistics statistics) throws InterruptedException {
        Thread.sleep(1000);
        return statistics.check();
    }

    private long distinctLabels() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select n_distinct from pg_stats where tablename = 'statistics_probe' "
                        + "and attname = 'label'")) {
            assertTrue(rs.next(), "statistics for the column");
            return Math.round(rs.getDouble(1));
        }
    }
}
