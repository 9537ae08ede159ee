package io.palabre.support;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;

/**
 * Keeps the statistics of the tables a service writes most current while they grow ({@link TableStatistics}): the
 * tables named by {@code palabre.statistics.tables}, checked every {@code palabre.statistics.check}.
 */
@ApplicationScoped
public class PlannerStatistics {

    private final AgroalDataSource dataSource;
    private final List<String> tables;
    private final Duration every;
    private TableStatistics statistics;

    public PlannerStatistics(AgroalDataSource dataSource,
            @ConfigProperty(name = "palabre.statistics.tables") Optional<List<String>> tables,
            @ConfigProperty(name = "palabre.statistics.check", defaultValue = "5s") Duration every) {
        this.dataSource = dataSource;
        this.tables = tables.orElse(List.of());
        this.every = every;
    }

    void onStart(@Observes StartupEvent event) {
        if (!tables.isEmpty()) {
            statistics = TableStatistics.start(dataSource, new LinkedHashSet<>(tables), every);
        }
    }

    @PreDestroy
    void stop() {
        if (statistics != null) {
            statistics.close();
        }
    }
}
