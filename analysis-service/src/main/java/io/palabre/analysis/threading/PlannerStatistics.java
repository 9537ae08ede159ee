package io.palabre.analysis.threading;

import java.time.Duration;
import java.util.Set;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.agroal.api.AgroalDataSource;
import io.palabre.support.TableStatistics;
import io.quarkus.runtime.StartupEvent;

/** Keeps the statistics of the tables threading writes current while they grow ({@link TableStatistics}). */
@ApplicationScoped
public class PlannerStatistics {

    private static final Set<String> TABLES = Set.of("mention", "conversation", "merged_conversation",
            "mention_tombstone", "account", "relationship", "relationship_removal", "organisation_interaction");

    private final AgroalDataSource dataSource;
    private final Duration every;
    private TableStatistics statistics;

    public PlannerStatistics(AgroalDataSource dataSource,
            @ConfigProperty(name = "palabre.analysis.statistics-check", defaultValue = "5s") Duration every) {
        this.dataSource = dataSource;
        this.every = every;
    }

    void onStart(@Observes StartupEvent event) {
        statistics = TableStatistics.start(dataSource, TABLES, every);
    }

    @PreDestroy
    void stop() {
        if (statistics != null) {
            statistics.close();
        }
    }
}
